"""A common name is carried by many people: a year of birth or a county picks one out."""

import datetime

import pytest
from django.urls import reverse

from okoa.people.access import Narrowing, search_people_for_user
from okoa.people.actions import create_person


@pytest.fixture
def namesakes(cast, places):
    """Fourteen invented people called Mary Kamau; the one sought is the oldest record."""
    sought = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Mary",
        family_name="Kamau",
        date_of_birth=datetime.date(1994, 3, 2),
        county_of_origin=places.mombasa,
        phone_numbers=["0722 300 400"],
    )
    others = [
        create_person(
            cast.ngo,
            by=cast.caseworker,
            given_name="Mary",
            family_name="Kamau",
            date_of_birth=datetime.date(1970 + number, 6, 1),
            county_of_origin=places.nairobi,
            phone_numbers=["0722 300 400"] if number == 0 else [],
        )
        for number in range(13)
    ]
    return sought, others


def found(cast, query, **details):
    results = search_people_for_user(
        cast.membership(cast.caseworker), query, narrowing=Narrowing(**details)
    )
    return [person for person, _score in results]


def test_the_name_alone_cannot_single_out_one_of_fourteen_namesakes(cast, namesakes):
    sought, _others = namesakes
    assert sought not in found(cast, "Mary Kamau")  # ten newest of fourteen equal matches


def test_the_year_of_birth_narrows_within_two_years_even_with_a_slip(cast, namesakes):
    sought, others = namesakes
    assert found(cast, "Mery Kamau", birth_year=1994) == [sought]
    # Born 1980 to 1984: the namesakes born 1982, 1981 and 1980, the nearest year first.
    assert found(cast, "Kamau Mary", birth_year=1982) == [others[12], others[11], others[10]]
    # Born 1979 to 1983: 1981 itself, then a year off (the newer record first), then two off.
    assert found(cast, "Mary Kamau", birth_year=1981) == [
        others[11],
        others[12],
        others[10],
        others[9],
    ]


def test_the_county_narrows_exactly_and_both_together_must_hold(cast, namesakes, places):
    sought, _others = namesakes
    assert found(cast, "Mary Kamau", county_id=places.mombasa.pk) == [sought]
    assert found(cast, "Mary Kamau", county_id=places.mombasa.pk, birth_year=1975) == []
    assert len(found(cast, "Mary Kamau", county_id=places.nairobi.pk)) == 10


def test_a_phone_number_shared_by_two_people_is_narrowed_too(cast, namesakes, places):
    sought, others = namesakes
    assert set(found(cast, "0722300400")) == {sought, others[0]}
    assert found(cast, "0722300400", birth_year=1994) == [sought]


def test_the_search_page_takes_the_details_and_explains_a_bad_year(client, cast, namesakes):
    sought, _others = namesakes
    client.force_login(cast.caseworker)
    url = reverse("cases:search")

    page = client.post(url, {"q": "Mary Kamau", "born": "1994", "county": "1"})
    assert page.status_code == 200
    assert [person for person, _cases in page.context["results"]] == [sought]
    assert '<details class="narrowing" open>' in page.content.decode()

    page = client.post(url, {"q": "Mary Kamau", "born": "2999"})
    assert page.status_code == 400
    assert "Enter a year that has already begun." in page.content.decode()


def test_roles_that_find_cases_by_reference_only_get_no_narrowing_fields(client, cast):
    client.force_login(cast.analyst)
    page = client.get(reverse("cases:search")).content.decode()
    assert 'name="q"' in page
    assert 'name="born"' not in page
    assert 'name="county"' not in page
