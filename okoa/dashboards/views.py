"""The dashboards: the caseworker's day and the supervisor's view of the team.

Read-only: the panels (``panels.py``) ask the access functions of the apps they read, and each
page leaves one access record per record it shows, as the case list does.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership
from okoa.care.access import can_set_follow_up_policy
from okoa.dashboards.panels import (
    DAY_PANELS,
    TEAM_PANELS,
    Board,
    PanelFunction,
    can_see_day,
    can_see_team,
)


@login_required
def day(request: HttpRequest) -> HttpResponse:
    """The member's day: follow-ups, sessions, goals and hearings of their own cases."""
    membership = current_membership(request)
    if not can_see_day(membership):
        raise PermissionDenied(_("Your role does not include working on cases."))
    return _board_page(request, membership, DAY_PANELS, "dashboards/day.html")


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """The supervisor's view: approvals, caseloads, overdue follow-ups, risk, unassigned cases."""
    membership = current_membership(request)
    if not can_see_team(membership):
        raise PermissionDenied(_("Only supervisors and administrators see the team's view."))
    return _board_page(request, membership, TEAM_PANELS, "dashboards/team.html")


def _board_page(
    request: HttpRequest,
    membership: Membership | None,
    panels: list[PanelFunction],
    template: str,
) -> HttpResponse:
    assert membership is not None
    board = Board.for_member(membership)
    built = board.build(panels)
    board.record_reads(request)
    context = {
        "panels": built,
        "today": board.today,
        "show_names": board.show_names,
        "can_see_team": can_see_team(membership),
        "can_set_follow_up_policy": can_set_follow_up_policy(membership),
    }
    return render(request, template, context)
