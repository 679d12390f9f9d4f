"""Fixtures of the dashboard tests: reading one panel of a page, and moving a case's history
back in time (the panels look at dates; the tests cannot wait a month)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    add_hearing,
    record_follow_up_visit,
    request_closure,
    return_closure,
    start_reintegration,
    submit_business_plan,
    update_care_service,
)
from okoa.care.models import FollowUpVisit, Reintegration
from okoa.cases.models import Case, CaseEvent
from okoa.retention.actions import request_erasure

MoveBack = Callable[[Case, int], None]
ReadPanel = Callable[..., str]


@pytest.fixture
def move_back() -> MoveBack:
    """Move everything dated on a case back by ``days``: its opening, its timeline, its
    reintegration and its follow-up schedule."""

    def move(case: Case, days: int) -> None:
        delta = datetime.timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(opened_at=F("opened_at") - delta)
        CaseEvent.objects.filter(case=case).update(at=F("at") - delta)
        Reintegration.objects.filter(case=case).update(started_on=F("started_on") - delta)
        FollowUpVisit.objects.filter(case=case).update(due_on=F("due_on") - delta)
        case.refresh_from_db(fields=["opened_at"])

    return move


def panel_of(html: str, key: str) -> str:
    """The HTML of the panel ``key`` (its <section>), or a failure if the page has none."""
    found = re.search(rf'<section id="{re.escape(key)}".*?</section>', html, re.DOTALL)
    assert found, f"no panel {key!r} on the page"
    return found.group(0)


@pytest.fixture
def read_panel(client) -> ReadPanel:
    """Sign in as ``user``, open ``path`` and return the panel ``key``'s HTML."""

    def read(user, key: str, path: str = "/dashboard/") -> str:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200
        return panel_of(response.content.decode(), key)

    return read


def count_of(html: str, key: str) -> int:
    """The number the counts at the top of a page show for the panel ``key``."""
    found = re.search(rf'<a href="#{re.escape(key)}">[^<]*</a></dt><dd>(\d+)</dd>', html)
    assert found, f"no count for {key!r}"
    return int(found.group(1))


def fill(organisation, worker, make_case, move_back, given_name, supervisor=None):
    """One open case of each kind a dashboard lists, at ``organisation``, worked by ``worker``."""
    soon = timezone.localdate() + datetime.timedelta(days=3)

    def case(**values):
        return make_case(organisation=organisation, by=worker, given_name=given_name, **values)

    followed = case(assigned_to=worker)
    start_reintegration(followed, started_on=timezone.localdate(), by=worker)
    move_back(followed, 40)
    record_follow_up_visit(
        FollowUpVisit.objects.get(case=followed, month=3),
        by=worker,
        visited_on=timezone.localdate(),
        contact_mode="phone",
        wellbeing="poor",
        goal_progress="none",
        risk_factors=["recruiter_contact"],
    )
    service = add_care_service(
        followed, by=worker, beneficiary=followed.person, kind="counselling", planned_count=8
    )
    update_care_service(service, by=worker, status="in_progress", delivered_count=1)
    add_care_goal(followed, by=worker, area="education", description="School", target_on=soon)
    add_hearing(followed, held_on=soon, by=worker)
    closing = case(assigned_to=worker)
    request_closure(closing, reason="Done", by=worker)
    granted = case(assigned_to=worker)
    submit_business_plan(
        granted, business_type="Kiosk", location="Kitui", budget=Decimal("1000"), by=worker
    )
    request_erasure(granted.person, reason="Asked for it", by=worker)
    if supervisor is not None:
        returned = case(assigned_to=worker)
        request_closure(returned, reason="Done", by=worker)
        return_closure(returned, reason="Not yet", by=supervisor)
    quiet = case(assigned_to=worker)
    move_back(quiet, 45)
    case()  # unassigned
