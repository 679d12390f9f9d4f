"""The life of one survivor's case, from the first needs assessment to closure after two years of
reintegration, with the clock moved forward through the real actions."""

import datetime

import pytest
from django.utils import timezone

from okoa.care.access import overdue_follow_ups_for_user, risk_is_rising
from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    approve_closure,
    record_follow_up_visit,
    record_needs_assessment,
    request_closure,
    start_reintegration,
    update_care_service,
)
from okoa.care.models import FollowUpVisit
from okoa.cases.models import Case, CaseEvent


@pytest.fixture
def clock(monkeypatch):
    """Move Django's clock: ``clock.to(day)`` makes ``timezone.now()`` fall on ``day``."""
    real_now = timezone.now

    class Clock:
        def to(self, day: datetime.date) -> None:
            offset = day - timezone.localdate(real_now())
            monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)

    return Clock()


def test_from_assessment_to_closure_after_twenty_four_months(cast, make_case, add_dependant, clock):
    case = make_case(assigned_to=cast.caseworker)
    child = add_dependant(case, given_name="Neema")
    caseworker, supervisor = cast.membership(cast.caseworker), cast.membership(cast.supervisor)
    day0 = timezone.localdate()

    record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=day0,
        levels={"shelter": "urgent", "mental_health": "urgent", "livelihood": "some"},
    )
    add_care_goal(
        case,
        by=cast.caseworker,
        area="livelihood",
        description="Earn a steady income",
        target_on=day0 + datetime.timedelta(days=365),
    )
    counselling = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )
    add_care_service(
        case, by=cast.caseworker, beneficiary=child, kind="school", provider_name="Shule ya Amani"
    )

    clock.to(day0 + datetime.timedelta(days=90))
    update_care_service(counselling, by=cast.caseworker, delivered_count=12, status="completed")
    visits = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    assert [visit.month for visit in visits] == [1, 3, 6, 12, 18, 24]

    factors_by_month = {1: ["debt"], 3: [], 6: [], 12: ["debt", "unemployment"], 18: [], 24: []}
    for visit in visits:
        clock.to(visit.due_on + datetime.timedelta(days=3))
        if visit.month == 12:
            overdue = overdue_follow_ups_for_user(caseworker, timezone.localdate())
            assert [item.code for item in overdue] == [visit.code]
            assert [
                item.code for item in overdue_follow_ups_for_user(supervisor, timezone.localdate())
            ] == [visit.code]
        record_follow_up_visit(
            visit,
            by=cast.caseworker,
            visited_on=timezone.localdate(),
            contact_mode="home_visit",
            wellbeing="good",
            goal_progress="on_track",
            risk_factors=factors_by_month[visit.month],
        )
        if visit.month == 12:
            assert risk_is_rising(list(FollowUpVisit.objects.filter(case=case)))

    assert overdue_follow_ups_for_user(supervisor, timezone.localdate()) == []
    request_closure(case, reason="Two years of follow-up completed", by=cast.caseworker)
    approve_closure(case, by=cast.supervisor)

    assert case.status == Case.Status.CLOSED
    assert case.closed_at.date() >= day0 + datetime.timedelta(days=90 + 730)
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds[-10:] == [
        "care_service_updated",
        "reintegration_started",
        *["follow_up_recorded"] * 6,
        "status_changed",
        "status_changed",
    ]
