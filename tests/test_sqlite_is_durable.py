"""An acknowledged write survives a power cut: SQLite syncs its write-ahead log at every commit."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_sqlite_connections_sync_every_commit():
    if connection.vendor != "sqlite":
        pytest.skip("runs when the suite runs on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    # The test database may be in memory (journal "memory"); the file database uses WAL.
    assert journal in {"wal", "memory"}
    assert synchronous == 2  # FULL
