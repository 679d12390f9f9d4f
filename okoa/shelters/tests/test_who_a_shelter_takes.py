"""A shelter takes only whom it is for: its sexes, adults or children on their own, families.
A dependant coming with the survivor needs a shelter that takes families."""

import pytest
from django.core.exceptions import ValidationError

from okoa.shelters.actions import check_in
from okoa.shelters.models import ShelterStay


def refusal(case, shelter, people, cast) -> str:
    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=shelter, people=people, by=cast.caseworker)
    assert not ShelterStay.objects.filter(shelter=shelter).exists()
    return " ".join(raised.value.message_dict["people"])


def test_a_womens_shelter_refuses_a_man(cast, make_case, make_shelter):
    shelter = make_shelter(sexes="female")
    case = make_case(given_name="Otieno", sex="male", estimated_age=30)

    assert "takes women and girls only" in refusal(case, shelter, [case.person], cast)


def test_a_shelter_for_adults_refuses_a_child_on_their_own(cast, make_case, make_shelter):
    shelter = make_shelter(takes_adults=True, takes_children=False)
    case = make_case(given_name="Nafula", estimated_age=15)

    assert "does not take children on their own" in refusal(case, shelter, [case.person], cast)


def test_a_childrens_shelter_refuses_an_adult(cast, make_case, make_shelter):
    shelter = make_shelter(takes_adults=False, takes_children=True)
    case = make_case(given_name="Nafula", estimated_age=34)

    assert "does not take adults" in refusal(case, shelter, [case.person], cast)


def test_dependants_need_a_shelter_that_takes_families(
    cast, make_case, make_shelter, add_dependant
):
    shelter = make_shelter(takes_families=False)
    case = make_case()
    child = add_dependant(case, given_name="Neema")

    message = refusal(case, shelter, [case.person, child], cast)

    assert "Neema Mutua: This shelter does not take families." in message


def test_a_boy_stays_with_his_mother_in_a_womens_shelter_for_families(
    cast, make_case, make_shelter, add_dependant
):
    shelter = make_shelter(sexes="female", takes_families=True)
    case = make_case(given_name="Wanjiru", estimated_age=29)
    son = add_dependant(case, given_name="Baraka", sex="male", estimated_age=7)
    husband = add_dependant(
        case, given_name="Kamau", sex="male", estimated_age=35, relationship="spouse"
    )

    assert "takes women and girls only" in refusal(case, shelter, [case.person, husband], cast)
    stays = check_in(case, shelter=shelter, people=[case.person, son], by=cast.caseworker)
    assert len(stays) == 2


def test_a_child_joining_their_mother_later_comes_as_family(
    cast, make_case, make_shelter, add_dependant
):
    shelter = make_shelter(takes_adults=True, takes_children=False, takes_families=True)
    case = make_case()
    check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
    child = add_dependant(case, estimated_age=4)

    stays = check_in(case, shelter=shelter, people=[child], by=cast.caseworker)

    assert stays[0].person == child


def test_a_child_placed_without_the_survivor_is_judged_on_their_own(
    cast, make_case, make_shelter, add_dependant
):
    shelter = make_shelter(takes_adults=True, takes_children=False, takes_families=True)
    case = make_case()
    child = add_dependant(case, estimated_age=4)

    assert "does not take children on their own" in refusal(case, shelter, [child], cast)


def test_a_closed_shelter_takes_nobody(cast, make_case, make_shelter):
    shelter = make_shelter(is_active=False)
    case = make_case()

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)

    assert raised.value.message_dict["shelter"] == ["This shelter is closed for check-ins."]


def test_another_organisations_shelter_is_refused(cast, make_case, make_shelter):
    theirs = make_shelter(organisation=cast.partner, by=cast.partner_caseworker)
    case = make_case()

    with pytest.raises(ValidationError) as raised:
        check_in(case, shelter=theirs, people=[case.person], by=cast.caseworker)

    assert raised.value.message_dict["shelter"] == ["Choose a shelter of your organisation."]
