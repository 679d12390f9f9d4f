import pytest

from okoa.people.access import search_people_for_user
from okoa.people.actions import create_person


def names_found(cast, query):
    membership = cast.membership(cast.caseworker)
    return [person.full_name for person, _score in search_people_for_user(membership, query)]


@pytest.fixture
def people(cast):
    for given, others, family in [
        ("Wanjiku", [], "Kamau"),
        ("Wanjiru", [], "Kamau"),
        ("Mohamed", ["Ali"], "Hassan"),
        ("Akinyi", ["Grace"], "Odhiambo"),
        ("Kiprono", [], "Cheruiyot"),
        ("Fatumah", [], "Juma"),
    ]:
        create_person(
            cast.ngo, by=cast.caseworker, given_name=given, other_names=others, family_name=family
        )


def test_exact_name_ranks_first(cast, people):
    assert names_found(cast, "Wanjiku Kamau")[0] == "Wanjiku Kamau"


def test_one_letter_slip_still_finds_the_person(cast, people):
    assert "Akinyi Grace Odhiambo" in names_found(cast, "Akinyi Odhiambu")[:3]
    assert "Kiprono Cheruiyot" in names_found(cast, "Kiprnoo Cheruyiot")[:3]


def test_spelling_variants_of_mohamed_find_each_other(cast, people):
    for query in ("Muhammad Hassan", "Mohammed Hasan", "Mohamad Ali"):
        assert names_found(cast, query)[0] == "Mohamed Ali Hassan", query


def test_names_in_any_order_find_the_person(cast, people):
    assert names_found(cast, "Odhiambo Akinyi")[0] == "Akinyi Grace Odhiambo"
    assert names_found(cast, "Hassan Mohamed")[0] == "Mohamed Ali Hassan"


def test_trailing_h_variant(cast, people):
    assert names_found(cast, "Fatuma Juma")[0] == "Fatumah Juma"


def test_another_organisation_finds_nothing(cast, people):
    membership = cast.membership(cast.partner_caseworker)
    assert search_people_for_user(membership, "Wanjiku Kamau") == []


def test_analyst_finds_nothing(cast, people):
    assert search_people_for_user(cast.membership(cast.analyst), "Wanjiku Kamau") == []
