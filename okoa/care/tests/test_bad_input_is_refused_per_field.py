"""Dates out of order, negative counts and attendance beyond what was planned are refused with
a message on the field, and nothing is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from okoa.care.actions import add_care_goal, add_care_service, update_care_service
from okoa.care.models import CareGoal, CareService


def _refused(action, **values) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        action(**values)
    return raised.value.message_dict


def test_attendance_beyond_what_was_planned_is_refused(cast, make_case):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )

    errors = _refused(update_care_service, service=service, by=cast.caseworker, delivered_count=13)

    assert errors == {"delivered_count": ["More delivered (13) than planned (12)."]}
    service.refresh_from_db()
    assert service.delivered_count == 0 and service.version == 1


def test_negative_counts_are_refused(cast, make_case):
    case = make_case()

    errors = _refused(
        add_care_service,
        case=case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="counselling",
        planned_count=-1,
        delivered_count=-2,
    )

    assert set(errors) == {"planned_count", "delivered_count"}
    assert not CareService.objects.exists()


def test_a_service_ending_before_it_starts_is_refused(cast, make_case):
    case = make_case()
    today = timezone.localdate()

    errors = _refused(
        add_care_service,
        case=case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="school",
        starts_on=today,
        ends_on=today - datetime.timedelta(days=1),
    )

    assert list(errors) == ["ends_on"]


def test_a_goal_targeted_before_the_case_was_opened_is_refused(cast, make_case):
    case = make_case()

    errors = _refused(
        add_care_goal,
        case=case,
        by=cast.caseworker,
        area="legal",
        description="",
        target_on=datetime.date(2000, 1, 1),
    )

    assert set(errors) == {"target_on", "description"}
    assert not CareGoal.objects.exists()


def test_the_database_refuses_attendance_beyond_plan_too(cast, make_case):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=2
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CareService.objects.filter(pk=service.pk).update(delivered_count=3)


def test_the_service_form_shows_the_message_on_the_field(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/care/services/new/",
        {
            "beneficiary": case.person.pk,
            "kind": "counselling",
            "status": "planned",
            "planned_count": "4",
            "delivered_count": "9",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["delivered_count"] == [
        "More delivered (9) than planned (4)."
    ]
