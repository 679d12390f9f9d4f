"""A person staying in a shelter cannot be checked in again (in the same shelter or another)
until checked out, nor checked in at a time that overlaps an earlier stay."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from okoa.shelters.actions import check_in, check_out
from okoa.shelters.models import ShelterStay


def test_a_second_check_in_is_refused_while_the_first_stay_is_open(cast, make_case, make_shelter):
    first, second = make_shelter(name="Nyumba A"), make_shelter(name="Nyumba B")
    case = make_case(given_name="Akinyi", family_name="Otieno")
    check_in(case, shelter=first, people=[case.person], by=cast.caseworker)

    for shelter in (first, second):
        with pytest.raises(ValidationError) as raised:
            check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
        message = raised.value.message_dict["people"][0]
        assert "Akinyi Otieno is staying at Nyumba A" in message and "check them out" in message

    assert ShelterStay.objects.count() == 1


def test_a_check_in_overlapping_an_earlier_stay_is_refused(cast, make_case, make_shelter):
    shelter = make_shelter()
    case = make_case()
    now = timezone.now()
    stay = check_in(
        case,
        shelter=shelter,
        people=[case.person],
        by=cast.caseworker,
        checked_in_at=now - datetime.timedelta(days=30),
    )[0]
    check_out(
        stay,
        by=cast.caseworker,
        reason="transferred",
        checked_out_at=now - datetime.timedelta(days=10),
    )

    with pytest.raises(ValidationError) as raised:
        check_in(
            case,
            shelter=shelter,
            people=[case.person],
            by=cast.caseworker,
            checked_in_at=now - datetime.timedelta(days=15),
        )

    assert "check-in is later" in raised.value.message_dict["checked_in_at"][0]
    again = check_in(
        case,
        shelter=shelter,
        people=[case.person],
        by=cast.caseworker,
        checked_in_at=now - datetime.timedelta(days=5),
    )
    assert len(again) == 1 and ShelterStay.objects.filter(person=case.person).count() == 2


def test_the_database_itself_refuses_a_second_open_stay(cast, make_case, make_shelter):
    shelter = make_shelter()
    case = make_case()
    stay = check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        ShelterStay.objects.create(
            shelter=shelter,
            case=case,
            person=case.person,
            checked_in_at=stay.checked_in_at,
            checked_in_by=cast.caseworker,
        )


def test_only_the_survivor_and_their_dependants_are_checked_in_under_a_case(
    cast, make_case, make_shelter
):
    shelter = make_shelter()
    case, other = make_case(), make_case(given_name="Chebet")

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=shelter, people=[other.person], by=cast.caseworker)
    assert "survivor or the survivor's dependants" in raised.value.message_dict["people"][0]

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=shelter, people=[], by=cast.caseworker)
    assert raised.value.message_dict["people"] == ["Choose who is checked in."]
    assert not ShelterStay.objects.exists()
