"""A backup taken while Okoa writes restores, into an empty database, every record of its snapshot.

A background thread keeps committing transactions (a person and an access record each) before,
during and after the backup. Tables nobody writes to must come back exactly as they are; the
written tables must come back as a consistent snapshot: a prefix of the rows, each equal to its
source row, and never half a transaction.
"""

from __future__ import annotations

import io
import secrets
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from okoa.audit.models import AccessRecord
from okoa.cases.actions import add_case_note, change_case_status, open_case
from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WRITTEN_TABLES = {Person._meta.db_table, AccessRecord._meta.db_table}


class Writer(threading.Thread):
    """Commit one person and one access record per transaction until told to stop."""

    def __init__(self, alias: str, cast: Any) -> None:
        super().__init__(daemon=True)
        self.alias, self.cast = alias, cast
        self.committed = 0
        self.error: BaseException | None = None
        self.stopping = threading.Event()
        self.progress = threading.Condition()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                with transaction.atomic(using=self.alias):
                    person = Person.objects.using(self.alias).create(
                        organisation_id=self.cast.ngo.pk,
                        given_name=f"Wairimu {self.committed}",
                        family_name="Njoroge",
                        created_by_id=self.cast.caseworker.pk,
                    )
                    AccessRecord.objects.using(self.alias).create(
                        user_id=self.cast.caseworker.pk,
                        organisation_id=self.cast.ngo.pk,
                        record_kind="person",
                        record_code=person.code,
                        channel=AccessRecord.Channel.API,
                    )
                with self.progress:
                    self.committed += 1
                    self.progress.notify_all()
        except BaseException as error:
            self.error = error
            with self.progress:
                self.progress.notify_all()
        finally:
            connections.close_all()  # this thread's connections only

    def wait_for(self, count: int) -> int:
        """Wait until ``count`` transactions are committed; return how many are."""
        with self.progress:
            # A liveness guard against a hung writer, not a timing assertion.
            self.progress.wait_for(lambda: self.committed >= count or self.error, timeout=60)
            assert self.error is None, self.error
            assert self.committed >= count
            return self.committed

    def finish(self) -> None:
        self.stopping.set()
        self.join()
        assert self.error is None, self.error


def seed_files(cast: Any) -> int:
    """Write a few invented files through the real actions; return the highest person id."""
    people = [
        create_person(cast.ngo, by=cast.caseworker, given_name="Akinyi", family_name="Otieno"),
        create_person(cast.ngo, by=cast.caseworker, given_name="Kiprono", family_name="Langat"),
        create_person(cast.partner, by=cast.partner_caseworker, given_name="Zawadi"),
    ]
    case = open_case(people[0], by=cast.caseworker, narrative="Recruited for work abroad.")
    add_case_note(case, body="Called back; safe at the shelter.", by=cast.caseworker)
    change_case_status(case, to=Case.Status.IN_CARE, by=cast.supervisor, reason="placed")
    open_case(people[2], by=cast.partner_caseworker)
    return max(person.pk for person in people)


def back_up_during_writes(writer: Writer, path: Any, alias: str) -> tuple[int, int]:
    """Run ``manage.py backup`` while the writer writes; return its counts before and after."""
    writer.start()
    before = writer.wait_for(3)
    call_command("backup", str(path), database=alias, stdout=io.StringIO())
    after = writer.committed
    writer.wait_for(after + 3)  # writes go on after the snapshot too
    writer.finish()
    return before, after


def assert_restored_snapshot(
    source: dict[str, list[tuple[Any, ...]]],
    restored: dict[str, list[tuple[Any, ...]]],
    *,
    restored_alias: str,
    seeded_up_to: int,
    committed_before: int,
    committed_after: int,
) -> None:
    assert sorted(restored) == sorted(source)
    for table in sorted(source):
        if table in WRITTEN_TABLES:
            source_by_id = {row[0]: row for row in source[table]}
            restored_ids = sorted(row[0] for row in restored[table])
            assert restored_ids == sorted(source_by_id)[: len(restored_ids)], table
            for row in restored[table]:
                assert row == source_by_id[row[0]], table
        else:
            assert restored[table] == source[table], table
    # The snapshot holds whole transactions: each written person with its access record.
    written = Person.objects.using(restored_alias).filter(pk__gt=seeded_up_to)
    codes = set(written.values_list("code", flat=True))
    logged = AccessRecord.objects.using(restored_alias).values_list("record_code", flat=True)
    assert codes == set(logged)
    assert committed_before <= len(codes) <= committed_after
    # And the restored files open with the data keys.
    first = written.order_by("pk").first()
    assert first is not None and first.given_name == "Wairimu 0"


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="copies the SQLite test database into a file"
)
def test_a_sqlite_backup_taken_during_writes_restores_every_record_of_its_snapshot(
    cast, backup_key, sqlite_file_database, rows_of, tmp_path
):
    seeded_up_to = seed_files(cast)
    # The test database lives in memory; the backup reads a file, as Okoa's database is.
    source_path = tmp_path / "live" / "okoa.sqlite3"
    source_path.parent.mkdir()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(source_path)])
    sqlite_file_database("live", source_path).ensure_connection()  # switches it to WAL
    sqlite_file_database("restored", tmp_path / "restored" / "okoa.sqlite3")
    backup = tmp_path / "okoa.okoabk"

    before, after = back_up_during_writes(Writer("live", cast), backup, "live")
    errors = io.StringIO()
    call_command("restore", str(backup), database="restored", stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue() == ""  # no warning about the data keys
    assert_restored_snapshot(
        rows_of("live"),
        rows_of("restored"),
        restored_alias="restored",
        seeded_up_to=seeded_up_to,
        committed_before=before,
        committed_after=after,
    )


@pytest.fixture
def fresh_postgresql_database(extra_database):
    """Create an empty PostgreSQL database next to the test database; drop it afterwards."""
    name = f"okoa_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    try:
        yield extra_database("restored", {**connection.settings_dict, "NAME": name})
    finally:
        connections["restored"].close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="runs when the suite runs on PostgreSQL (CI)"
)
def test_a_postgresql_backup_taken_during_writes_restores_every_record_of_its_snapshot(
    cast, backup_key, fresh_postgresql_database, rows_of, tmp_path
):
    seeded_up_to = seed_files(cast)
    backup = tmp_path / "okoa.okoabk"

    before, after = back_up_during_writes(Writer("default", cast), backup, "default")
    errors = io.StringIO()
    call_command("restore", str(backup), database="restored", stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue() == ""
    assert_restored_snapshot(
        rows_of("default"),
        rows_of("restored"),
        restored_alias="restored",
        seeded_up_to=seeded_up_to,
        committed_before=before,
        committed_after=after,
    )
