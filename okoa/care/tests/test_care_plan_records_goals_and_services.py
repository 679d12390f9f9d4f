"""The care plan holds goals and services, for the survivor and their dependants, each change
leaving a timeline entry and a change record."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    set_care_goal_status,
    update_care_service,
)
from okoa.care.models import CarePlan
from okoa.cases.models import CaseEvent


def test_the_first_goal_starts_the_plan_and_goes_on_the_timeline(cast, make_case):
    case = make_case()
    target = timezone.localdate() + datetime.timedelta(days=90)

    goal = add_care_goal(
        case, by=cast.caseworker, area="education", description="Back to school", target_on=target
    )

    plan = CarePlan.objects.get(case=case)
    assert goal.plan == plan and plan.version == 2
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CARE_GOAL_ADDED)
    assert event.data == {"goal": goal.code, "area": "education"}
    set_care_goal_status(goal, status="achieved", by=cast.caseworker)
    goal.refresh_from_db()
    assert goal.status == "achieved"
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CARE_GOAL_CHANGED).exists()


def test_counselling_sessions_are_counted_as_planned_and_attended(cast, make_case):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )

    changed = update_care_service(service, by=cast.caseworker, delivered_count=5)

    assert changed == ["delivered_count"]
    assert (service.planned_count, service.delivered_count, service.version) == (12, 5, 2)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CARE_SERVICE_UPDATED)
    assert event.data["fields"] == ["delivered_count"] and event.data["delivered"] == 5
    assert list(
        ChangeRecord.objects.filter(record_code=service.code).values_list("action", flat=True)
    ) == ["created", "updated"]


def test_children_get_their_own_services_in_the_same_plan(cast, make_case, add_dependant):
    case = make_case()
    children = [add_dependant(case, given_name=name) for name in ("Baraka", "Imani", "Tumaini")]

    services = [
        add_care_service(
            case, by=cast.caseworker, beneficiary=child, kind="counselling", planned_count=6
        )
        for child in children
    ]

    plan = CarePlan.objects.get(case=case)
    assert {service.plan for service in services} == {plan}
    assert {service.beneficiary for service in services} == set(children)
    assert all(
        event.data["for_dependant"]
        for event in CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CARE_SERVICE_ADDED)
    )


def test_a_service_cannot_be_for_somebody_outside_the_family(cast, make_case):
    case = make_case()
    stranger = make_case(given_name="Chebet").person

    with pytest.raises(ValidationError) as raised:
        add_care_service(case, by=cast.caseworker, beneficiary=stranger, kind="counselling")

    assert "beneficiary" in raised.value.message_dict


def test_the_provider_is_the_organisation_itself_another_or_an_outside_one(cast, make_case):
    case = make_case()
    own = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="basic_needs", planned_count=3
    )
    partner = add_care_service(
        case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="medical_screening",
        provider_organisation=cast.partner,
        screening_outcome="pending",
    )
    outside = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="school", provider_name="Mwangaza"
    )

    assert own.provider_label == cast.ngo.name
    assert partner.provider_label == cast.partner.name
    assert outside.provider_label == "Mwangaza"
