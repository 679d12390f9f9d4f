import contextlib
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def dump(path: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as database:
        return list(database.iterdump())


@pytest.fixture
def target_with_an_organisation(restore_target):
    with contextlib.closing(sqlite3.connect(restore_target)) as database, database:
        database.execute("CREATE TABLE accounts_organisation (id INTEGER PRIMARY KEY, name TEXT)")
        database.execute("INSERT INTO accounts_organisation (name) VALUES ('Upendo Shelter')")
    return restore_target


def test_a_database_that_holds_organisations_is_not_replaced(
    small_backup, target_with_an_organisation
):
    before = dump(target_with_an_organisation)
    with pytest.raises(CommandError, match=r"already holds organisations.*--force"):
        call_command("restore", str(small_backup), database="target")
    # Compared as SQL: looking for organisations connects the way Okoa does (WAL mode).
    assert dump(target_with_an_organisation) == before


def test_force_replaces_its_contents(small_backup, target_with_an_organisation, rows_of):
    call_command("restore", str(small_backup), database="target", force=True)
    rows = rows_of("target")
    assert sorted(rows) == ["entry"]
    assert len(rows["entry"]) == 200


def test_a_database_with_tables_but_no_organisations_counts_as_empty(
    small_backup, restore_target, rows_of
):
    call_command("restore", str(small_backup), database="target")
    assert sorted(rows_of("target")) == ["entry"]


def test_a_missing_database_file_is_created_readable_by_its_owner_only(
    small_backup, sqlite_file_database, tmp_path, rows_of
):
    path = tmp_path / "new" / "okoa.sqlite3"
    sqlite_file_database("target", path)
    call_command("restore", str(small_backup), database="target")
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(rows_of("target")["entry"]) == 200
