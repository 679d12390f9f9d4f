"""The access functions are the only way to a case or a person; they enforce isolation."""

import pytest
from django.http import Http404

from okoa.cases.access import cases_for_user, get_case_for_user
from okoa.cases.actions import open_case
from okoa.people.access import get_person_for_user
from okoa.people.actions import create_person


@pytest.fixture
def case(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Wekesa", family_name="Simiyu")
    return open_case(person, by=cast.caseworker)


def test_another_organisation_cannot_load_the_case_or_the_person(cast, case):
    partner = cast.membership(cast.partner_caseworker)
    with pytest.raises(Http404):
        get_case_for_user(partner, case.code)
    with pytest.raises(Http404):
        get_person_for_user(partner, case.person.code)
    assert not cases_for_user(partner).exists()


def test_an_analyst_sees_the_case_but_never_the_person(cast, case):
    analyst = cast.membership(cast.analyst)
    assert get_case_for_user(analyst, case.code) == case
    with pytest.raises(Http404):
        get_person_for_user(analyst, case.person.code)
    with pytest.raises(Http404):
        get_case_for_user(analyst, case.code, write=True)


def test_a_hotline_operator_sees_no_case_file(cast, case):
    operator = cast.membership(cast.operator)
    with pytest.raises(Http404):
        get_case_for_user(operator, case.code)


def test_an_inactive_membership_sees_nothing(cast, case):
    membership = cast.membership(cast.caseworker)
    membership.is_active = False
    membership.save()
    with pytest.raises(Http404):
        get_case_for_user(membership, case.code)
