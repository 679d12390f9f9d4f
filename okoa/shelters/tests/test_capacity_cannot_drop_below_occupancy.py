"""A shelter's beds cannot be fewer than the people staying, and a shelter with residents is not
closed for check-ins until they leave."""

import pytest
from django.core.exceptions import ValidationError

from okoa.shelters.actions import check_in, check_out, update_shelter


def test_capacity_below_the_people_staying_is_refused(cast, make_case, make_shelter):
    shelter = make_shelter(capacity=5)
    for name in ("Akinyi", "Wanjiru", "Chebet"):
        case = make_case(given_name=name)
        check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)

    with pytest.raises(ValidationError) as raised:
        update_shelter(shelter, by=cast.supervisor, capacity=2)

    assert "3 people are staying now" in raised.value.message_dict["capacity"][0]
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.version) == (5, 1)
    assert update_shelter(shelter, by=cast.supervisor, capacity=3) == ["capacity"]


def test_a_shelter_with_residents_cannot_be_closed_for_check_ins(cast, make_case, make_shelter):
    shelter = make_shelter()
    case = make_case()
    stay = check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)[0]

    with pytest.raises(ValidationError) as raised:
        update_shelter(shelter, by=cast.supervisor, is_active=False)

    assert "check them out" in raised.value.message_dict["is_active"][0]
    check_out(stay, by=cast.caseworker, reason="reintegrated")
    assert update_shelter(shelter, by=cast.supervisor, is_active=False) == ["is_active"]


def test_the_edit_page_shows_the_refusal_on_the_capacity_field(
    client, cast, make_case, make_shelter, places
):
    shelter = make_shelter(capacity=3)
    for name in ("Akinyi", "Wanjiru"):
        case = make_case(given_name=name)
        check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
    client.force_login(cast.supervisor)

    response = client.post(
        f"/shelters/{shelter.code}/edit/",
        {
            "name": shelter.name,
            "county": places.mombasa.pk,
            "capacity": "1",
            "sexes": "any",
            "takes_adults": "on",
            "is_active": "on",
            "version": "1",
        },
    )

    assert response.status_code == 400
    assert "2 people are staying now" in response.content.decode()
    shelter.refresh_from_db()
    assert shelter.capacity == 3
