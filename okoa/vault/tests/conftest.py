import base64
import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from okoa.lib import crypto
from okoa.settings import sqlite_database
from okoa.vault import keys


@pytest.fixture
def swap_keys(settings):
    """Reconfigure the key ring in a test and put the usual one back afterwards."""

    def swap(*, encryption: str | None = None, index: str | None = None) -> None:
        settings.OKOA_ENCRYPTION_KEYS = encryption
        settings.OKOA_BLIND_INDEX_KEY = index
        crypto.reset_key_ring()
        keys.forget_verification()

    yield swap
    crypto.reset_key_ring()
    keys.forget_verification()


# Backup and restore (test_backup_*.py) -------------------------------------------------------


@pytest.fixture
def backup_key(settings) -> bytes:
    """Seal backups in this test with a fresh backup key; return its bytes."""
    text = crypto.new_key_text()
    settings.OKOA_BACKUP_KEY = text
    return base64.urlsafe_b64decode(text)


@pytest.fixture
def extra_database(monkeypatch):
    """Register extra database aliases for one test (SQLite files, a fresh PostgreSQL database).

    The test database stays where it is; backup and restore run against these. Django's test
    case only lets a test connect to the aliases it knew when it was set up, so connections to
    these aliases (in any thread) are let through here.
    """
    added: list[str] = []
    guarded = BaseDatabaseWrapper.ensure_connection

    def ensure_connection(self: BaseDatabaseWrapper) -> None:
        if self.alias not in added:
            return guarded(self)
        if self.connection is None:
            with self.wrap_database_errors:
                self.connect()
        return None

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", ensure_connection)

    def add(alias: str, settings_dict: dict[str, Any]) -> BaseDatabaseWrapper:
        settings_dict = dict(settings_dict)
        connections.configure_settings({DEFAULT_DB_ALIAS: {}, alias: settings_dict})
        connections.settings[alias] = settings_dict
        added.append(alias)
        return connections[alias]

    yield add
    for alias in added:
        connections[alias].close()
        with contextlib.suppress(AttributeError):
            del connections[alias]
        del connections.settings[alias]


@pytest.fixture
def sqlite_file_database(extra_database):
    """Register a SQLite file (created on first use) under ``alias``, set up as Okoa's own."""

    def add(alias: str, path: Path) -> BaseDatabaseWrapper:
        return extra_database(alias, sqlite_database(path))

    return add


@pytest.fixture
def rows_of():
    """Return every row of every table of a database alias, by table, in a stable order."""

    def read(alias: str) -> dict[str, list[tuple[Any, ...]]]:
        connection = connections[alias]
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            rows = {}
            for table in tables:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                rows[table] = sorted(cursor.fetchall(), key=repr)
        return rows

    return read


@pytest.fixture
def small_backup(tmp_path, backup_key, sqlite_file_database) -> Path:
    """A backup of a small SQLite database, sealed in 4 KiB chunks so it has several."""
    from okoa.vault.backups import write_backup

    path = tmp_path / "small-source.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as database, database:
        database.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, body TEXT)")
        database.executemany(
            "INSERT INTO entry (body) VALUES (?)", [(f"entry {n} " * 20,) for n in range(200)]
        )
    sqlite_file_database("small_source", path)
    return write_backup(
        tmp_path / "small.okoabk", using="small_source", key=backup_key, chunk_bytes=4096
    ).path


@pytest.fixture
def restore_target(tmp_path, sqlite_file_database) -> Path:
    """A SQLite file under alias ``target`` with content of its own and no organisations."""
    path = tmp_path / "target" / "target.sqlite3"
    path.parent.mkdir()
    with contextlib.closing(sqlite3.connect(path)) as database, database:
        database.execute("CREATE TABLE marker (id INTEGER PRIMARY KEY, note TEXT)")
        database.execute("INSERT INTO marker (note) VALUES ('before the restore')")
    sqlite_file_database("target", path)
    return path
