"""Two people editing the same shelter: the second save is refused and names what the first
one changed; nothing of the second edit is saved."""

import pytest

from okoa.shelters.actions import StaleEdit, update_shelter


def test_the_second_save_is_refused_naming_the_changed_fields(cast, make_shelter):
    shelter = make_shelter(capacity=4)
    opened_version = shelter.version
    update_shelter(shelter, by=cast.supervisor, expected_version=opened_version, capacity=8)

    with pytest.raises(StaleEdit) as raised:
        update_shelter(shelter, by=cast.admin, expected_version=opened_version, takes_children=True)

    assert "changed: capacity" in raised.value.messages[0]
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.takes_children, shelter.version) == (8, False, 2)


def test_the_edit_page_shows_the_refusal(client, cast, make_shelter, places):
    shelter = make_shelter(capacity=4)
    update_shelter(shelter, by=cast.supervisor, name="Nyumba Mpya")
    client.force_login(cast.admin)

    response = client.post(
        f"/shelters/{shelter.code}/edit/",
        {
            "name": "Nyumba ya Tumaini",
            "county": places.mombasa.pk,
            "capacity": "9",
            "sexes": "any",
            "takes_adults": "on",
            "is_active": "on",
            "version": "1",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Somebody else saved this shelter" in html and "changed: name" in html
    shelter.refresh_from_db()
    assert (shelter.name, shelter.capacity) == ("Nyumba Mpya", 4)
