import pytest
from django.utils import timezone

from okoa.cases.actions import open_case
from okoa.people.actions import create_person


@pytest.fixture
def person(cast):
    return create_person(cast.ngo, by=cast.caseworker, given_name="Kamene", family_name="Musyoka")


def test_references_count_up_per_organisation_and_year(cast, person):
    year = timezone.localdate().year
    first = open_case(person, by=cast.caseworker)
    second = open_case(person, by=cast.caseworker)
    assert first.reference == f"TUM-{year}-00001"
    assert second.reference == f"TUM-{year}-00002"


def test_another_organisation_has_its_own_numbers(cast, person):
    open_case(person, by=cast.caseworker)
    other = create_person(cast.partner, by=cast.partner_caseworker, given_name="Naliaka")
    assert open_case(other, by=cast.partner_caseworker).reference.endswith("-00001")
    assert open_case(other, by=cast.partner_caseworker).reference.startswith("MWA-")


def test_a_failed_case_does_not_use_up_a_number(cast, person):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        open_case(person, by=cast.caseworker, identified_on=timezone.localdate().replace(year=2999))
    assert open_case(person, by=cast.caseworker).reference.endswith("-00001")
