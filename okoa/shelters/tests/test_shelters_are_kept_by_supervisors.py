"""Supervisors and organisation administrators add and edit shelters; every bad value is
refused on its own field and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.shelters.actions import create_shelter, update_shelter
from okoa.shelters.models import Shelter


def test_a_supervisor_adds_a_shelter_through_the_page(client, cast, places):
    client.force_login(cast.supervisor)

    response = client.post(
        "/shelters/new/",
        {
            "name": "Nyumba ya Amani",
            "county": places.nairobi.pk,
            "address": "Behind the chief's camp, blue gate",
            "capacity": "10",
            "sexes": "female",
            "takes_adults": "on",
            "takes_families": "on",
            "is_active": "on",
        },
    )

    shelter = Shelter.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/shelters/{shelter.code}/"
    assert (shelter.organisation, shelter.county, shelter.capacity) == (
        cast.ngo,
        places.nairobi,
        10,
    )
    assert (shelter.sexes, shelter.takes_adults, shelter.takes_children) == ("female", True, False)
    assert shelter.takes_families and shelter.is_active
    assert shelter.address == "Behind the chief's camp, blue gate"
    record = ChangeRecord.objects.get(record_kind="shelter", record_code=shelter.code)
    assert record.action == "created" and "address" in record.fields
    assert "blue gate" not in str(record.fields)


@pytest.mark.parametrize("role", ["caseworker", "analyst", "operator"])
def test_other_roles_may_not_add_a_shelter(client, cast, role):
    client.force_login(getattr(cast, role))

    response = client.post("/shelters/new/", {"name": "Nyumba", "capacity": "3"})

    assert response.status_code == 403
    assert not Shelter.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"capacity": 0}, "capacity", "at least one bed"),
        ({"capacity": -4}, "capacity", "at least one bed"),
        ({"capacity": 5000}, "capacity", "at most 2000 beds"),
        ({"name": "   "}, "name", "Give the shelter a name"),
        ({"county": None}, "county", "Choose the county"),
        ({"sexes": "nobody"}, "sexes", "Choose whom the shelter takes"),
        (
            {"takes_adults": False, "takes_children": False, "takes_families": False},
            "takes_adults",
            "Tick at least one",
        ),
    ],
)
def test_bad_values_are_refused_on_their_field(cast, places, changes, field, message):
    values = {"name": "Nyumba ya Amani", "county": places.mombasa, "capacity": 6} | changes

    with pytest.raises(ValidationError) as raised:
        create_shelter(cast.ngo, by=cast.supervisor, **values)

    assert message in " ".join(raised.value.message_dict[field])
    assert not Shelter.objects.exists()


def test_a_second_shelter_of_the_same_name_is_refused(cast, make_shelter):
    make_shelter(name="Nyumba ya Amani")

    with pytest.raises(ValidationError) as raised:
        make_shelter(name="nyumba ya amani")

    assert "already has a shelter of this name" in raised.value.message_dict["name"][0]
    # Another organisation may use the same name.
    make_shelter(name="Nyumba ya Amani", organisation=cast.partner, by=cast.partner_caseworker)


def test_the_page_shows_each_error_on_its_field_and_saves_nothing(client, cast, places):
    client.force_login(cast.admin)

    response = client.post(
        "/shelters/new/",
        {"name": "Nyumba", "county": places.mombasa.pk, "capacity": "-3", "sexes": "any"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "A shelter has at least one bed." in html
    assert "Tick at least one: adults, children or families." in html
    assert not Shelter.objects.exists()


def test_an_edit_changes_only_what_was_changed_and_records_the_field_names(cast, make_shelter):
    shelter = make_shelter(capacity=4)

    changed = update_shelter(
        shelter, by=cast.admin, expected_version=1, capacity=6, address="Near the mosque"
    )

    assert sorted(changed) == ["address", "capacity"]
    shelter.refresh_from_db()
    assert (shelter.capacity, shelter.version, shelter.address) == (6, 2, "Near the mosque")
    record = ChangeRecord.objects.get(record_code=shelter.code, action="updated")
    assert record.fields == ["address", "capacity"]
    assert update_shelter(shelter, by=cast.admin, capacity=6) == []
    shelter.refresh_from_db()
    assert shelter.version == 2
