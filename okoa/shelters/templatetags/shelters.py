"""The case page's shelter panel (``shelters/case_panel.html``) loads its data here; filters of
the shelter pages."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from okoa.audit.actions import record_accesses
from okoa.cases.models import Case
from okoa.shelters.access import can_check_in, can_see_residents, stays_of_case_for_user
from okoa.shelters.models import ShelterStay

register = template.Library()


@register.simple_tag(takes_context=True)
def shelter_stays(context: dict[str, Any], case: Case) -> dict[str, Any]:
    """The case's stays for the current member: open ones, past ones, and what they may do.

    The dependants shown by name have their reads recorded (the survivor's read is the case
    page's own).
    """
    membership = context.get("membership")
    if not membership:
        return {"current": [], "past": [], "show_names": False, "can_check_in": False}
    stays = stays_of_case_for_user(membership, case)
    show_names = can_see_residents(membership)
    dependants = sorted({stay.person.code for stay in stays if stay.person_id != case.person_id})
    if show_names and dependants:
        record_accesses(
            membership,
            record_kind="person",
            record_codes=dependants,
            channel="page",
            request=context.get("request"),
        )
    return {
        "current": [stay for stay in stays if stay.is_open],
        "past": [stay for stay in stays if not stay.is_open],
        "show_names": show_names,
        "can_check_in": can_check_in(membership),
    }


@register.filter
def nights(stay: ShelterStay, today: datetime.date) -> int:
    """Nights stayed so far (or in all)."""
    return stay.nights(today)


@register.filter
def past_expected(stay: ShelterStay, today: datetime.date) -> bool:
    """Whether the person is still staying after the day they were expected to leave."""
    return stay.is_past_expected_date(today)
