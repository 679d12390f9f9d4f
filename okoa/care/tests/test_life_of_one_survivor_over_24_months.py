"""The life of one survivor's case over two years, through the real actions, with Django's clock
moved forward: a hotline report, the case opened from it, screening, a needs assessment, a care
plan (12 counselling sessions attended over three months, a medical screening), a shelter stay
with her son, the legal process (police report, P3 form, court case, hearings, judgment), a
business grant paid by M-Pesa and checked at 3, 6 and 12 months, the shelter left for
reintegration, six follow-up visits with the re-trafficking risk rising then falling, one visit
overdue and then recorded, a second needs assessment showing progress, and closure requested by
the caseworker and approved by a supervisor after the 24-month visit. Every step leaves its
entry on the case's timeline, in order.

``time_machine`` is not a dependency of Okoa, so ``moved_clock`` moves the clock itself: it
replaces the ``datetime`` that ``django.utils.timezone.now`` reads, which moves ``now()``,
``localdate()`` and every model field whose default is ``timezone.now`` (timeline entries,
change records) together. Names and places are invented.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.access import (
    assessments_of_case_for_user,
    business_plan_of_case,
    follow_ups_of_case_for_user,
    legal_process_of_case,
    overdue_follow_ups_for_user,
    risk_is_rising,
    risk_trend,
)
from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    add_hearing,
    add_months,
    approve_closure,
    approve_grant,
    record_business_check,
    record_disbursement,
    record_follow_up_visit,
    record_needs_assessment,
    request_closure,
    set_care_goal_status,
    start_reintegration,
    submit_business_plan,
    update_care_service,
    update_legal_process,
)
from okoa.care.models import BusinessCheck, CareService, FollowUpVisit, NeedLevel
from okoa.cases.actions import change_case_status
from okoa.cases.models import Case, CaseEvent
from okoa.intake.actions import create_report, open_case_from_report
from okoa.people.actions import create_person
from okoa.screening.actions import decide_screening, record_screening, screening_items
from okoa.shelters.access import occupancy_by_day, occupancy_of, stays_of_case_for_user
from okoa.shelters.actions import check_in, check_out, create_shelter

REAL_DATETIME = datetime.datetime


class _AnyDatetime(type):
    # Django checks ``isinstance(value, datetime)`` with the name the clock replaces: every real
    # datetime must still pass.
    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, REAL_DATETIME)


class Clock:
    """Django's clock, moved forward a whole number of days at a time (never back)."""

    def __init__(self) -> None:
        self.offset = datetime.timedelta(0)

    def now(self, tz: datetime.tzinfo | None = None) -> datetime.datetime:
        return REAL_DATETIME.now(tz) + self.offset

    def to(self, day: datetime.date) -> datetime.date:
        """Make ``timezone.localdate()`` fall on ``day``; return it."""
        real_today = timezone.localdate(REAL_DATETIME.now(datetime.UTC))
        offset = datetime.timedelta(days=(day - real_today).days)
        assert offset >= self.offset, f"the clock only moves forward, not back to {day}"
        self.offset = offset
        assert timezone.localdate() == day
        return day


@contextmanager
def moved_clock() -> Iterator[Clock]:
    """Let the test move Django's clock forward with ``clock.to(day)``."""
    clock = Clock()

    class MovedDatetime(REAL_DATETIME, metaclass=_AnyDatetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> datetime.datetime:  # type: ignore[override]
            return clock.now(tz)

    with mock.patch("django.utils.timezone.datetime", MovedDatetime):
        yield clock


@pytest.fixture
def clock() -> Iterator[Clock]:
    with moved_clock() as moved:
        yield moved


def kinds_of(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def test_the_clock_moves_now_localdate_and_model_defaults_together(cast, make_case, clock):
    later = clock.to(timezone.localdate() + datetime.timedelta(days=400))

    case = make_case()

    assert timezone.localdate(timezone.now()) == later
    assert timezone.localdate(case.opened_at) == later
    assert timezone.localdate(CaseEvent.objects.get(case=case, kind="opened").at) == later
    with pytest.raises(AssertionError):
        clock.to(later - datetime.timedelta(days=1))


def test_one_survivor_from_the_hotline_report_to_closure_after_24_months(
    client, cast, places, clock
):
    K = CaseEvent.Kind
    caseworker, supervisor = cast.membership(cast.caseworker), cast.membership(cast.supervisor)
    day0 = clock.to(timezone.localdate())

    def on(days: int) -> datetime.date:
        return clock.to(day0 + datetime.timedelta(days=days))

    # Day 0: the hotline call, the case opened from the report, screening, taken into care.
    received = create_report(
        cast.ngo,
        channel="hotline",
        by=cast.operator,
        narrative="A woman and her son came back from a farm where they were held without pay.",
        immediate_danger=False,
    )
    case = open_case_from_report(
        received.report,
        by=cast.caseworker,
        person_values={
            "given_name": "Nasimiyu",
            "family_name": "Wekesa",
            "sex": "female",
            "county_of_origin": places.mombasa,
        },
        estimated_age=27,
        assigned_to=cast.caseworker,
    )
    son = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Baraka",
        family_name="Wekesa",
        sex="male",
        estimated_age=6,
        parent=case.person,
        relationship_to_parent="child",
    )
    items = {f"{item.list}:{item.code}": item for item in screening_items()}
    screening = record_screening(
        case,
        answers={
            items["palermo_act:TARC"]: "yes",
            items["palermo_means:TMDC"]: "yes",
            items["palermo_purpose:TPLB"]: "yes",
        },
        by=cast.caseworker,
    )
    assert screening.suggestion == "presumed_victim"
    decide_screening(screening, decision=screening.suggestion, by=cast.supervisor)
    change_case_status(case, to=Case.Status.IN_CARE, by=cast.caseworker, reason="Accepted")
    assert case.status == Case.Status.IN_CARE

    # Day 1: needs, the care plan, and a bed for her and her son.
    on(1)
    first_assessment = record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=timezone.localdate(),
        levels={
            "safety": "urgent",
            "shelter": "urgent",
            "medical": "urgent",
            "mental_health": "urgent",
            "legal": "urgent",
            "livelihood": "some",
            "identity_documents": "some",
            "family": "some",
            "education": "some",
        },
    )
    healing = add_care_goal(
        case,
        by=cast.caseworker,
        area="mental_health",
        description="Sleep through the night without nightmares",
        target_on=day0 + datetime.timedelta(days=180),
    )
    income = add_care_goal(
        case,
        by=cast.caseworker,
        area="livelihood",
        description="Earn a steady income from her own tailoring",
        target_on=day0 + datetime.timedelta(days=540),
    )
    counselling = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )
    medical = add_care_service(
        case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="medical_screening",
        screening_outcome="pending",
        provider_name="Bandari Community Clinic (invented)",
    )
    shelter = create_shelter(
        cast.ngo,
        by=cast.supervisor,
        name="Nyumba ya Faraja",
        county=places.mombasa,
        capacity=8,
        sexes="female",
        takes_families=True,
    )
    stays = check_in(
        case,
        shelter=shelter,
        people=[case.person, son],
        by=cast.caseworker,
        expected_check_out_on=day0 + datetime.timedelta(days=120),
    )
    assert [stay.person for stay in stays] == [case.person, son]
    assert (occupancy_of(shelter).occupied, occupancy_of(shelter).free) == (2, 6)

    # The medical screening's outcome; the police report and the P3 form.
    on(4)
    update_care_service(
        medical, by=cast.caseworker, screening_outcome="done_no_follow_up", status="completed"
    )
    on(5)
    update_legal_process(
        case,
        by=cast.caseworker,
        ob_number="OB 23/04/2026",
        police_station="Bandari Police Post (invented)",
        reported_on=timezone.localdate(),
        p3_status="pending",
        stage="investigation",
        survivor_role="complainant",
    )
    on(10)
    update_legal_process(case, by=cast.caseworker, p3_status="submitted")

    # Counselling attended over three months; the court case opens.
    on(30)
    update_care_service(counselling, by=cast.caseworker, delivered_count=4, status="in_progress")
    on(45)
    update_legal_process(
        case,
        by=cast.caseworker,
        court_case_number="CR E0457 of 2026",
        court="Chief Magistrate's Court, Bandari (invented)",
        stage="charged",
    )
    add_hearing(case, held_on=day0 + datetime.timedelta(days=75), by=cast.caseworker)
    add_hearing(case, held_on=day0 + datetime.timedelta(days=140), by=cast.caseworker)
    on(60)
    update_care_service(counselling, by=cast.caseworker, delivered_count=8)
    on(90)
    update_care_service(counselling, by=cast.caseworker, delivered_count=12, status="completed")
    counselling.refresh_from_db()
    assert (counselling.delivered_count, counselling.status) == (12, "completed")
    with pytest.raises(ValidationError):
        update_care_service(counselling, by=cast.caseworker, delivered_count=13)

    # Economic empowerment: the plan, a supervisor's approval, the M-Pesa payment.
    on(100)
    plan = submit_business_plan(
        case,
        business_type="Tailoring",
        location="Bandari market stall (invented)",
        budget=Decimal("45000"),
        by=cast.caseworker,
    )
    with pytest.raises(ValidationError):
        approve_grant(plan, by=cast.caseworker)
    approve_grant(plan, by=cast.supervisor)
    paid_on = on(102)
    record_disbursement(
        plan,
        amount=Decimal("45000"),
        paid_on=paid_on,
        channel="mpesa",
        reference="SDK4X7QZ2M",
        by=cast.caseworker,
    )

    # Four months on: out of the shelter, home, and reintegration starts.
    started_on = on(120)
    check_out(stays[0], by=cast.caseworker, reason="reintegrated")
    assert occupancy_of(shelter).occupied == 0
    assert dict(occupancy_by_day(shelter, day0 + datetime.timedelta(days=50), started_on)) == {
        day0 + datetime.timedelta(days=n): 2 if n < 120 else 0 for n in range(50, 121)
    }
    past = stays_of_case_for_user(caseworker, case)
    assert {(stay.person, stay.check_out_reason) for stay in past} == {
        (case.person, "reintegrated"),
        (son, "reintegrated"),
    }
    visits = start_reintegration(case, started_on=started_on, by=cast.caseworker)
    assert [visit.month for visit in visits] == [1, 3, 6, 12, 18, 24]
    assert [visit.due_on for visit in visits] == [
        add_months(started_on, month) for month in (1, 3, 6, 12, 18, 24)
    ]
    by_month = {visit.month: visit for visit in visits}

    def visit(month: int, factors: list[str], wellbeing: str, progress: str) -> str:
        recorded = record_follow_up_visit(
            by_month[month],
            by=cast.caseworker,
            visited_on=timezone.localdate(),
            contact_mode="home_visit",
            wellbeing=wellbeing,
            goal_progress=progress,
            risk_factors=factors,
        )
        return recorded.risk_level

    def check_business(month: int, state: str) -> None:
        on((add_months(paid_on, month) - day0).days)
        record_business_check(
            plan, month=month, checked_on=timezone.localdate(), state=state, by=cast.caseworker
        )

    def trend() -> list[str]:
        return [
            item.risk_level for item in risk_trend(follow_ups_of_case_for_user(caseworker, case))
        ]

    on(140)
    update_legal_process(case, by=cast.caseworker, stage="trial")
    on((by_month[1].due_on - day0).days + 2)
    assert visit(1, ["debt"], "fair", "some") == "low"
    check_business(3, "trading")
    on((by_month[3].due_on - day0).days + 1)
    assert visit(3, ["debt", "unemployment"], "fair", "some") == "medium"
    assert risk_is_rising(follow_ups_of_case_for_user(caseworker, case))
    check_business(6, "struggling")
    on((by_month[6].due_on - day0).days)
    assert visit(6, ["recruiter_contact"], "poor", "none") == "high"
    assert trend() == ["low", "medium", "high"]
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.code}/follow-ups/").content.decode()
    assert "Month 6: High" in page and "The risk is rising." in page
    on(400)
    update_legal_process(case, by=cast.caseworker, stage="judgment")
    check_business(12, "trading")

    # The 12-month visit is missed: it is overdue for the caseworker and her supervisor ...
    on((by_month[12].due_on - day0).days + 10)
    today = timezone.localdate()
    assert [item.code for item in overdue_follow_ups_for_user(caseworker, today)] == [
        by_month[12].code
    ]
    assert [item.code for item in overdue_follow_ups_for_user(supervisor, today)] == [
        by_month[12].code
    ]
    # ... until it is recorded: the risk is falling.
    assert visit(12, ["debt", "unemployment"], "fair", "some") == "medium"
    assert overdue_follow_ups_for_user(caseworker, today) == []
    assert overdue_follow_ups_for_user(supervisor, today) == []
    assert not risk_is_rising(follow_ups_of_case_for_user(caseworker, case))
    second_assessment = record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=today,
        levels={
            "safety": "none",
            "shelter": "none",
            "medical": "none",
            "mental_health": "some",
            "legal": "some",
            "livelihood": "some",
            "identity_documents": "none",
            "family": "none",
            "education": "none",
        },
    )
    kept = assessments_of_case_for_user(caseworker, case)
    assert kept == [second_assessment, first_assessment]  # newest first; the first one is kept
    newest, oldest = kept
    urgent_then = [area for area, _label, level in oldest.levels() if level == "Urgent need"]
    urgent_now = [area for area, _label, level in newest.levels() if level == "Urgent need"]
    assert len(urgent_then) == 5 and urgent_now == []
    assert all(getattr(newest, area) != NeedLevel.URGENT for area in urgent_then)

    on((by_month[18].due_on - day0).days + 3)
    assert visit(18, [], "good", "on_track") == "low"
    set_care_goal_status(healing, status="achieved", by=cast.caseworker)
    set_care_goal_status(income, status="achieved", by=cast.caseworker)
    on((by_month[24].due_on - day0).days + 1)
    assert visit(24, [], "good", "on_track") == "low"
    assert trend() == ["low", "medium", "high", "medium", "low", "low"]
    client.force_login(cast.caseworker)  # a new session: the last one timed out long ago
    page = client.get(f"/cases/{case.code}/follow-ups/").content.decode()
    assert "Month 24: Low" in page and "The risk is rising." not in page

    # Closure: requested by the caseworker, approved by a supervisor, not by herself.
    request_closure(
        case, reason="Two years of follow-up completed; goals achieved.", by=cast.caseworker
    )
    with pytest.raises(ValidationError):
        approve_closure(case, by=cast.caseworker)
    approve_closure(case, by=cast.supervisor)

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    closed_on = timezone.localdate(case.closed_at)
    assert closed_on >= add_months(started_on, 24) >= add_months(day0, 24)
    visited = list(
        FollowUpVisit.objects.filter(case=case, visited_on__isnull=False).values_list(
            "visited_on", flat=True
        )
    )
    assert len(visited) == 6 and all(day is not None and day <= closed_on for day in visited)
    legal = legal_process_of_case(case)
    assert legal is not None
    assert (legal.ob_number, legal.p3_status, legal.stage) == (
        "OB 23/04/2026",
        "submitted",
        "judgment",
    )
    assert legal.court_case_number == "CR E0457 of 2026" and legal.hearings.count() == 2
    business = business_plan_of_case(case)
    assert business is not None and business.status == "approved"
    assert business.approved_by == cast.supervisor
    assert [payment.reference for payment in business.disbursements.all()] == ["SDK4X7QZ2M"]
    checks = BusinessCheck.objects.filter(plan=business).order_by("month")
    assert [(check.month, check.state) for check in checks] == [
        (3, "trading"),
        (6, "struggling"),
        (12, "trading"),
    ]
    assert CareService.objects.get(pk=medical.pk).screening_outcome == "done_no_follow_up"

    # The timeline holds every step, in the order it happened, over the two years.
    assert kinds_of(case) == [
        K.OPENED,
        K.ASSIGNED,
        K.SCREENED,
        K.SCREENING_DECIDED,
        K.STATUS_CHANGED,  # into care
        K.NEEDS_ASSESSED,
        K.CARE_GOAL_ADDED,
        K.CARE_GOAL_ADDED,
        K.CARE_SERVICE_ADDED,  # counselling
        K.CARE_SERVICE_ADDED,  # medical screening
        K.SHELTER_CHECK_IN,
        K.CARE_SERVICE_UPDATED,  # the screening's outcome
        K.UPDATED,  # police report
        K.UPDATED,  # P3 form
        K.CARE_SERVICE_UPDATED,  # 4 sessions
        K.UPDATED,  # court case
        K.UPDATED,  # hearing
        K.UPDATED,  # hearing
        K.CARE_SERVICE_UPDATED,  # 8 sessions
        K.CARE_SERVICE_UPDATED,  # 12 sessions
        K.UPDATED,  # business plan
        K.UPDATED,  # grant approved
        K.UPDATED,  # M-Pesa payment
        K.SHELTER_CHECK_OUT,
        K.REINTEGRATION_STARTED,
        K.UPDATED,  # on trial
        K.FOLLOW_UP_RECORDED,  # month 1
        K.UPDATED,  # business check, 3 months
        K.FOLLOW_UP_RECORDED,  # month 3
        K.UPDATED,  # business check, 6 months
        K.FOLLOW_UP_RECORDED,  # month 6
        K.UPDATED,  # judgment
        K.UPDATED,  # business check, 12 months
        K.FOLLOW_UP_RECORDED,  # month 12, late
        K.NEEDS_ASSESSED,
        K.FOLLOW_UP_RECORDED,  # month 18
        K.CARE_GOAL_CHANGED,
        K.CARE_GOAL_CHANGED,
        K.FOLLOW_UP_RECORDED,  # month 24
        K.STATUS_CHANGED,  # closure requested
        K.STATUS_CHANGED,  # closed
    ]
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    moments = [event.at for event in events]
    assert moments == sorted(moments)
    assert timezone.localdate(moments[0]) == day0 and timezone.localdate(moments[-1]) == closed_on
    updated = [event.data["fields"] for event in events if event.kind == K.UPDATED]
    assert sorted(updated[0]) == [
        "legal.ob_number",
        "legal.p3_status",
        "legal.police_station",
        "legal.reported_on",
        "legal.stage",
        "legal.survivor_role",
    ]
    assert "OB 23/04/2026" not in str(updated)  # the timeline names fields, never the numbers
    statuses = [event.data["to"] for event in events if event.kind == K.STATUS_CHANGED]
    assert statuses == ["in_care", "closure_requested", "closed"]
    assert [event.by for event in events if event.kind == K.STATUS_CHANGED][-1] == cast.supervisor
    risks = [event.data["risk"] for event in events if event.kind == K.FOLLOW_UP_RECORDED]
    assert risks == ["low", "medium", "high", "medium", "low", "low"]
    shelter_events = [event for event in events if event.kind.startswith("shelter_")]
    assert [event.data["shelter"] for event in shelter_events] == [shelter.code] * 2
    assert "Nasimiyu" not in str([event.data for event in events])
