"""Name search meets one slip in four-letter names and two slips in one longer name part."""

import pytest

from okoa.people.access import search_people_for_user
from okoa.people.actions import create_person


def names_found(cast, query):
    membership = cast.membership(cast.caseworker)
    return [person.full_name for person, _score in search_people_for_user(membership, query)]


@pytest.fixture
def people(cast):
    for given, family in [
        ("Juma", "Nyakundi"),
        ("Neema", "Ssenyonga"),
        ("Neema", "Kibor"),
        ("Zawadi", "Mwakalinga"),
    ]:
        create_person(cast.ngo, by=cast.caseworker, given_name=given, family_name=family)


def test_a_swap_in_a_four_letter_name_still_finds_the_person(cast, people):
    assert names_found(cast, "Ujma Nyakundi")[0] == "Juma Nyakundi"


def test_a_wrong_letter_in_a_four_letter_name_still_finds_the_person(cast, people):
    assert names_found(cast, "Jumo Nyakundi")[0] == "Juma Nyakundi"


def test_two_slips_in_one_long_part_rank_the_person_above_a_namesake(cast, people):
    # "Ssenyonga" typed with a letter too many and a letter wrong; only the first name is right.
    assert names_found(cast, "Neema Ssenyohngd")[0] == "Neema Ssenyonga"


def test_two_wrong_letters_in_one_long_part_still_find_the_person(cast, people):
    assert names_found(cast, "Zawadi Mwakelimga")[0] == "Zawadi Mwakalinga"
    assert names_found(cast, "Mwakelimga")[0] == "Zawadi Mwakalinga"
