"""A stay cannot begin in the future, end before it began or in the future, nor be expected to
end before it began; a stay already ended cannot be ended again. Nothing is half-saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.cases.models import CaseEvent
from okoa.shelters.actions import check_in, check_out
from okoa.shelters.models import ShelterStay


@pytest.fixture
def stay(cast, make_case, make_shelter):
    case = make_case()
    began = timezone.now() - datetime.timedelta(days=3)
    return check_in(
        case, shelter=make_shelter(), people=[case.person], by=cast.caseworker, checked_in_at=began
    )[0]


def test_a_check_out_before_the_check_in_is_refused(cast, stay):
    with pytest.raises(ValidationError) as raised:
        check_out(
            stay,
            by=cast.caseworker,
            reason="reintegrated",
            checked_out_at=stay.checked_in_at - datetime.timedelta(hours=1),
        )

    assert "cannot end before it began" in raised.value.message_dict["checked_out_at"][0]
    stay.refresh_from_db()
    assert stay.is_open
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.SHELTER_CHECK_OUT).exists()


def test_a_check_out_in_the_future_is_refused(cast, stay):
    with pytest.raises(ValidationError) as raised:
        check_out(
            stay,
            by=cast.caseworker,
            reason="reintegrated",
            checked_out_at=timezone.now() + datetime.timedelta(days=1),
        )

    assert raised.value.message_dict["checked_out_at"] == ["This time is in the future."]
    stay.refresh_from_db()
    assert stay.is_open


def test_a_check_out_needs_a_known_reason(cast, stay):
    with pytest.raises(ValidationError) as raised:
        check_out(stay, by=cast.caseworker, reason="")

    assert raised.value.message_dict["reason"] == ["Choose why the stay ends."]


def test_a_stay_is_ended_once(cast, stay):
    check_out(stay, by=cast.caseworker, reason="reintegrated")

    with pytest.raises(ValidationError) as raised:
        check_out(stay, by=cast.supervisor, reason="transferred")

    assert "already ended" in raised.value.messages[0]
    stay.refresh_from_db()
    assert (stay.check_out_reason, stay.checked_out_by) == ("reintegrated", cast.caseworker)


def test_a_check_in_in_the_future_or_expected_to_end_before_it_begins_is_refused(
    cast, make_case, make_shelter
):
    shelter, case = make_shelter(), make_case()

    with pytest.raises(ValidationError) as raised:
        check_in(
            case,
            shelter=shelter,
            people=[case.person],
            by=cast.caseworker,
            checked_in_at=timezone.now() + datetime.timedelta(hours=2),
            expected_check_out_on=timezone.localdate() - datetime.timedelta(days=1),
        )

    errors = raised.value.message_dict
    assert errors["checked_in_at"] == ["This time is in the future."]
    assert "before the check-in" in errors["expected_check_out_on"][0]
    assert not ShelterStay.objects.exists()


def test_a_closed_case_checks_nobody_in(cast, make_case, make_shelter):
    from okoa.cases.actions import change_case_status

    case = make_case()
    change_case_status(case, to="closed", by=cast.supervisor)

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=make_shelter(), people=[case.person], by=cast.caseworker)

    assert "closed" in raised.value.messages[0]
