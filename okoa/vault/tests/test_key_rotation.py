"""rotate_keys moves every value to the new key while everything keeps reading and searching."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from okoa.cases.actions import add_case_note, open_case
from okoa.lib import crypto
from okoa.people.access import search_people_for_user
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.vault import rotation
from okoa.vault.keys import KeyMismatch
from okoa.vault.models import KeyCheck

OLD = crypto.new_key_text()
NEW = crypto.new_key_text()
INDEX_OLD = crypto.new_key_text()
INDEX_NEW = crypto.new_key_text()
NAMES = [("Nafula", "Barasa"), ("Kemunto", "Nyakundi"), ("Halima", "Abdi"), ("Lokwang", "Ekai")]


@pytest.fixture
def populated(cast, swap_keys):
    swap_keys(encryption=f"old:{OLD}", index=INDEX_OLD)
    for given, family in NAMES:
        person = create_person(
            cast.ngo,
            by=cast.caseworker,
            given_name=given,
            family_name=family,
            phone_numbers=["0711000111"],
            passport_number="BK1234567",
        )
        case = open_case(person, by=cast.caseworker, narrative=f"Narrative of {given}")
        add_case_note(case, body=f"Note about {family}", by=cast.caseworker)


def key_ids_in_database() -> set[str]:
    found = set()
    with connection.cursor() as cursor:
        for model, fields in rotation.encrypted_columns():
            for model_field in fields:
                column = connection.ops.quote_name(str(model_field.column))
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT {column} FROM {table}")
                found |= {value.split(":")[1] for (value,) in cursor.fetchall() if value}
    return found


def found(cast, query):
    results = search_people_for_user(cast.membership(cast.caseworker), query)
    return [person.full_name for person, _ in results]


def test_every_value_moves_to_the_new_key_and_still_reads(populated, swap_keys, cast):
    swap_keys(encryption=f"new:{NEW},old:{OLD}", index=INDEX_OLD)
    call_command("rotate_keys", batch_size=2, stdout=io.StringIO())
    assert key_ids_in_database() == {"new"}
    assert KeyCheck.objects.get(key_id="old").retired_at is not None
    swap_keys(encryption=f"new:{NEW}", index=INDEX_OLD)
    assert sorted(p.full_name for p in Person.objects.all()) == sorted(
        f"{given} {family}" for given, family in NAMES
    )
    assert found(cast, "Kemuntu Nyakundi")[0] == "Kemunto Nyakundi"


def test_an_interrupted_rotation_resumes_where_it_stopped(populated, swap_keys, monkeypatch):
    swap_keys(encryption=f"new:{NEW},old:{OLD}", index=INDEX_OLD)
    real_encrypt = crypto.KeyRing.encrypt
    calls = {"count": 0}

    def failing_encrypt(self, plaintext, *, context):
        calls["count"] += 1
        if calls["count"] == 12:
            raise RuntimeError("power cut")
        return real_encrypt(self, plaintext, context=context)

    monkeypatch.setattr(crypto.KeyRing, "encrypt", failing_encrypt)
    with pytest.raises(RuntimeError):
        call_command("rotate_keys", batch_size=2, stdout=io.StringIO())
    assert key_ids_in_database() == {"new", "old"}
    monkeypatch.setattr(crypto.KeyRing, "encrypt", real_encrypt)
    call_command("rotate_keys", batch_size=2, stdout=io.StringIO())
    assert key_ids_in_database() == {"new"}


def test_a_value_saved_during_the_rotation_is_not_overwritten(populated, swap_keys, cast):
    swap_keys(encryption=f"new:{NEW},old:{OLD}", index=INDEX_OLD)
    person = Person.objects.order_by("pk")[0]
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_name FROM {table} WHERE id = %s", [person.pk])
        stale = cursor.fetchone()[0]
    Person.objects.filter(pk=person.pk).update(given_name="Edited meanwhile")
    with connection.cursor() as cursor:
        # The compare-and-swap of a batch read before the edit must not apply.
        cursor.execute(
            f"UPDATE {table} SET given_name = %s WHERE id = %s AND given_name = %s",
            [
                crypto.key_ring().encrypt("Old value", context="people.Person.given_name"),
                person.pk,
                stale,
            ],
        )
        assert cursor.rowcount == 0
    person.refresh_from_db()
    assert person.given_name == "Edited meanwhile"


def test_search_tokens_are_rebuilt_under_a_new_index_key(populated, swap_keys, cast):
    swap_keys(encryption=f"old:{OLD}", index=INDEX_NEW)
    # A new index key without the previous one is refused: searches would find nobody.
    with pytest.raises(KeyMismatch, match="OKOA_BLIND_INDEX_KEY"):
        call_command("rotate_keys", blind_index=True, stdout=io.StringIO())
    from django.conf import settings

    settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = INDEX_OLD
    swap_keys(encryption=f"old:{OLD}", index=INDEX_NEW)
    try:
        call_command("rotate_keys", blind_index=True, batch_size=3, stdout=io.StringIO())
    finally:
        settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = None
    swap_keys(encryption=f"old:{OLD}", index=INDEX_NEW)
    assert rotation.blind_indexes_match()
    assert found(cast, "Halma Abdi")[0] == "Halima Abdi"
    assert found(cast, "0711 000 111")


def test_the_blind_index_rotation_needs_the_previous_key(populated, swap_keys):
    swap_keys(encryption=f"old:{OLD}", index=INDEX_OLD)
    with pytest.raises(CommandError, match="OKOA_PREVIOUS_BLIND_INDEX_KEY"):
        call_command("rotate_keys", blind_index=True, stdout=io.StringIO())


def test_search_finds_everybody_while_the_tokens_are_half_rebuilt(populated, swap_keys, cast):
    from django.conf import settings

    from okoa.people.actions import index_person

    settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = INDEX_OLD
    try:
        swap_keys(encryption=f"old:{OLD}", index=INDEX_NEW)
        # Half-way: the first two people carry new-key tokens, the others still old-key ones.
        for person in Person.objects.order_by("pk")[:2]:
            index_person(person)
        for given, family in NAMES:
            assert found(cast, f"{given} {family}")[0] == f"{given} {family}"
        assert len(found(cast, "0711 000 111")) == len(NAMES)
    finally:
        settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = None
