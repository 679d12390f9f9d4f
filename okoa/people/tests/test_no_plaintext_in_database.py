"""After people and cases are recorded, no name, phone, document number or narrative can be
read from the database: not from any row of any table, nor from the SQLite file's bytes."""

import datetime
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from okoa.cases.actions import add_case_note, open_case
from okoa.people.actions import create_person, update_person

SECRETS = [
    "Zawadi",
    "Nyaboke",
    "Kerubo",
    "Ombati",
    "Wairimu-Njeri",
    "0722987654",
    "722987654",
    "31415926",
    "AK9081726",
    "compound near the river",
    "Lokichar",
]


@pytest.fixture
def recorded(cast):
    person = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Zawadi",
        family_name="Nyaboke",
        other_names=["Kerubo", "Wairimu-Njeri"],
        phone_numbers=["0722987654"],
        national_id_number="31415926",
        passport_number="AK9081726",
        date_of_birth=datetime.date(1999, 4, 1),
    )
    update_person(person, by=cast.caseworker, family_name="Ombati")
    case = open_case(person, by=cast.caseworker, narrative="Held in a compound near the river")
    add_case_note(case, body="Brother is in Lokichar", by=cast.caseworker)
    return person


def all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_table_row_holds_a_plaintext_identifier(recorded):
    text = all_rows_as_text().lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_the_date_of_birth_is_not_stored_in_the_clear(recorded):
    assert "1999-04-01" not in all_rows_as_text()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads an SQLite database file")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sqlite_file_holds_no_plaintext_identifier(recorded):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "copy.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(path)])
        data = path.read_bytes().lower()
    assert len(data) > 10_000
    for secret in SECRETS:
        assert secret.lower().encode() not in data, secret


def test_the_person_reads_back_decrypted(recorded):
    recorded.refresh_from_db()
    assert recorded.full_name == "Zawadi Kerubo Wairimu-Njeri Ombati"
    assert recorded.phone_numbers == ["0722987654"]
    assert recorded.date_of_birth == datetime.date(1999, 4, 1)
