"""On SQLite, writers queue on a lock file and each is woken as soon as the one before is done.

Two real connections to one database file, as two web workers have (``okoa.lib.sqlite``).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError

from okoa.lib.sqlite.base import DatabaseWrapper
from okoa.settings import sqlite_database


def connect(path: Path, *, timeout: float = 20) -> DatabaseWrapper:
    settings = sqlite_database(path)
    settings["OPTIONS"] = {**settings["OPTIONS"], "timeout": timeout}  # type: ignore[dict-item]
    for name, value in {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }.items():
        settings.setdefault(name, value)
    wrapper = DatabaseWrapper(settings, alias=f"queue-{id(settings)}")
    wrapper.inc_thread_sharing()  # used by the test's threads, one at a time
    wrapper.ensure_connection()
    return wrapper


class _Atomic:
    """A transaction on ``wrapper`` (Django's atomic() looks connections up by alias)."""

    def __init__(self, wrapper: DatabaseWrapper) -> None:
        self.wrapper = wrapper

    def __enter__(self) -> None:
        # As Django's atomic() begins: BEGIN IMMEDIATE, after the writers' queue.
        self.wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.wrapper.commit()
        else:
            self.wrapper.rollback()
        self.wrapper.set_autocommit(True)


def queue_is_taken(path: Path) -> bool:
    """Whether a writer holds the queue's lock file (tried without waiting)."""
    fd = os.open(f"{path}-writers", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A database file of its own (not the suite's), and a first connection to it."""
    path = tmp_path / "queue.sqlite3"
    with django_db_blocker.unblock():
        first = connect(path)
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, text TEXT)")
        yield path, first
        first.close()


def test_a_second_writer_waits_for_the_first_and_goes_on_when_it_commits(database):
    path, first = database
    second = connect(path)
    order: list[str] = []
    first_has_begun = threading.Event()
    release_first = threading.Event()

    def write_first() -> None:
        with _Atomic(first), first.cursor() as cursor:
            cursor.execute("INSERT INTO report (text) VALUES ('first')")
            first_has_begun.set()
            assert release_first.wait(10)
            order.append("first commits")

    thread = threading.Thread(target=write_first)
    thread.start()
    assert first_has_begun.wait(10)
    assert queue_is_taken(path)

    def write_second() -> None:
        with _Atomic(second), second.cursor() as cursor:
            order.append("second begins")
            cursor.execute("INSERT INTO report (text) VALUES ('second')")

    waiting = threading.Thread(target=write_second)
    waiting.start()
    time.sleep(0.2)
    assert order == []  # still queued behind the first
    release_first.set()
    thread.join(10)
    waiting.join(10)
    assert order == ["first commits", "second begins"]
    assert not queue_is_taken(path)
    with second.cursor() as cursor:
        cursor.execute("SELECT text FROM report ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    second.close()


def test_a_writer_that_waits_past_the_timeout_gets_database_is_locked(database):
    path, first = database
    impatient = connect(path, timeout=0.3)
    with (
        _Atomic(first),
        pytest.raises(OperationalError, match="database is locked"),
        _Atomic(impatient),
    ):
        pass
    # Once the first has committed, the impatient writer writes.
    with _Atomic(impatient), impatient.cursor() as cursor:
        cursor.execute("INSERT INTO report (text) VALUES ('later')")
    impatient.close()


def test_a_rolled_back_transaction_leaves_the_queue(database):
    path, first = database
    second = connect(path, timeout=1)
    with pytest.raises(ZeroDivisionError), _Atomic(first):
        1 / 0
    with _Atomic(second), second.cursor() as cursor:
        cursor.execute("INSERT INTO report (text) VALUES ('after a rollback')")
    second.close()


def test_the_log_is_checkpointed_by_a_thread_not_inside_a_commit(database):
    path, first = database
    with first.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 0  # no checkpoint inside any request's commit
        for number in range(50):
            cursor.execute("INSERT INTO report (text) VALUES (%s)", [f"report {number}"])
    log = Path(f"{path}-wal")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # The checkpointer copied the log into the database: a new connection that opens
        # the database file alone (immutable: it ignores the log) sees every row.
        alone = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            if alone.execute("SELECT COUNT(*) FROM report").fetchone()[0] == 50:
                break
        except sqlite3.DatabaseError:
            pass
        finally:
            alone.close()
        time.sleep(0.2)
    else:
        raise AssertionError(f"not checkpointed; log of {log.stat().st_size} bytes")
