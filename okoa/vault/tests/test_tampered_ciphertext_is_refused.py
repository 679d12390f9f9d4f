import pytest
from django.db import connection

from okoa.lib import crypto
from okoa.people.actions import create_person
from okoa.people.models import Person


def test_a_changed_byte_makes_the_value_unreadable(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Chebet", family_name="Kirui")
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT given_name FROM {table} WHERE id = %s", [person.pk])
        sealed = cursor.fetchone()[0]
        tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
        cursor.execute(f"UPDATE {table} SET given_name = %s WHERE id = %s", [tampered, person.pk])
    with pytest.raises(crypto.DecryptionError, match="tampered"):
        Person.objects.get(pk=person.pk)


def test_a_value_moved_to_another_column_does_not_open(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Chebet", family_name="Kirui")
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET family_name = given_name WHERE id = %s", [person.pk])
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)


def test_garbage_is_not_mistaken_for_a_ciphertext():
    with pytest.raises(crypto.DecryptionError, match="not an Okoa ciphertext"):
        crypto.key_ring().decrypt("plain text", context="people.Person.given_name")
