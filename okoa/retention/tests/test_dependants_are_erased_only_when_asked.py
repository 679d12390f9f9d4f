"""Dependants are separate people: an erasure request erases them only when it says so."""

import pytest

from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.retention.models import Erasure


@pytest.fixture
def child(cast, survivor_file) -> Person:
    return create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Imani",
        family_name="Wambui",
        sex="male",
        parent=survivor_file.person,
        relationship_to_parent="child",
    )


def test_without_the_box_the_dependant_keeps_their_identity(survivor_file, child, erase):
    erase(survivor_file.person)

    child.refresh_from_db()
    assert child.full_name == "Imani Wambui"
    assert child.erased_at is None
    assert child.parent == survivor_file.person


def test_with_the_box_the_dependant_is_erased_too(survivor_file, child, erase):
    erasure_request = erase(survivor_file.person, include_dependants=True)

    child.refresh_from_db()
    assert child.full_name == "" and child.erased_at is not None
    assert (child.sex, child.parent, child.relationship_to_parent) == (
        "male",
        survivor_file.person,
        "child",
    )
    erasure = Erasure.objects.get(person=child)
    assert (erasure.reason, erasure.request) == ("dependant", erasure_request)


def test_the_box_is_offered_only_for_a_person_with_dependants(client, cast, survivor_file):
    client.force_login(cast.caseworker)
    url = f"/retention/people/{survivor_file.person.code}/request/"

    assert "include_dependants" not in client.get(url).context["form"].fields
    create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Imani",
        parent=survivor_file.person,
        relationship_to_parent="child",
    )
    assert "include_dependants" in client.get(url).context["form"].fields
