import pytest

from okoa.cases.actions import StaleEdit, open_case, update_case
from okoa.people.actions import StaleEdit as StalePersonEdit
from okoa.people.actions import create_person, update_person


@pytest.fixture
def case(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Moraa", family_name="Nyamweya")
    return open_case(person, by=cast.caseworker)


def test_the_second_of_two_case_edits_from_the_same_version_is_refused(cast, case):
    seen = case.version
    update_case(case, by=cast.caseworker, expected_version=seen, narrative="first edit")
    with pytest.raises(StaleEdit, match="Somebody else saved this case"):
        update_case(case, by=cast.supervisor, expected_version=seen, narrative="second edit")
    case.refresh_from_db()
    assert case.narrative == "first edit"


def test_the_second_of_two_person_edits_from_the_same_version_is_refused(cast, case):
    person = case.person
    seen = person.version
    update_person(person, by=cast.caseworker, expected_version=seen, family_name="Kwamboka")
    with pytest.raises(StalePersonEdit):
        update_person(person, by=cast.supervisor, expected_version=seen, family_name="Other")
    person.refresh_from_db()
    assert person.family_name == "Kwamboka"
