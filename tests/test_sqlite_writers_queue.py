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
from okoa.settings import database_from_url, sqlite_database


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
    # Having given up, it is back at FULL for its statements outside a transaction.
    with impatient.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2
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
    assert_checkpointed(path, first)


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param("okoa#data?x", id="a folder name with # and ?"),
        pytest.param("//", id="a path starting with //"),
    ],
)
def test_the_log_is_checkpointed_wherever_the_database_lies(tmp_path, django_db_blocker, folder):
    # "//srv/okoa.sqlite3" is what sqlite:////srv/okoa.sqlite3 once gave: the checkpointer's
    # URI read "srv" as a host name and failed every second, the log growing without end.
    if folder == "//":
        path = Path("//" + str(tmp_path / "okoa.sqlite3").lstrip("/"))
    else:
        (tmp_path / folder).mkdir()
        path = tmp_path / folder / "okoa.sqlite3"
    with django_db_blocker.unblock():
        first = connect(path)
        try:
            with first.cursor() as cursor:
                cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, text TEXT)")
            assert_checkpointed(Path(os.path.realpath(path)), first)
        finally:
            first.close()


def test_a_database_url_with_three_or_four_slashes_names_the_same_absolute_path(tmp_path):
    absolute = str(tmp_path / "okoa.sqlite3")  # starts with "/"
    three, four = f"sqlite://{absolute}", f"sqlite:///{absolute}"
    assert three.startswith("sqlite:///") and not three.startswith("sqlite:////")
    assert four.startswith("sqlite:////")  # the SQLAlchemy convention for an absolute path
    for url in (three, four):
        assert database_from_url(url)["NAME"] == tmp_path / "okoa.sqlite3"


def assert_checkpointed(path: Path, first: DatabaseWrapper) -> None:
    with first.cursor() as cursor:
        for number in range(50):
            cursor.execute("INSERT INTO report (text) VALUES (%s)", [f"report {number}"])
    log = Path(f"{path}-wal")
    uri = f"{path.as_uri()}?immutable=1"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        # The checkpointer copied the log into the database: a new connection that opens
        # the database file alone (immutable: it ignores the log) sees every row.
        alone = sqlite3.connect(uri, uri=True)
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


def test_a_commit_is_synced_after_the_queue_is_left_and_before_commit_returns(
    database, monkeypatch
):
    path, first = database
    synced: list[tuple[str, bool]] = []
    real_fdatasync = os.fdatasync

    def fdatasync(fd: int) -> None:
        # Which file, and whether another writer could already go on meanwhile.
        synced.append((os.readlink(f"/proc/self/fd/{fd}"), queue_is_taken(path)))
        real_fdatasync(fd)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    with _Atomic(first):
        with first.cursor() as cursor:
            # Inside the transaction SQLite does not sync at commit (NORMAL) ...
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1
            cursor.execute("INSERT INTO report (text) VALUES ('a report')")
        assert synced == []
    # ... the connection syncs the log itself, once the lock is given up.
    assert synced == [(str(path.resolve()) + "-wal", False)]
    with first.cursor() as cursor:
        # Statements outside a transaction are synced by SQLite itself (FULL).
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2


def test_a_rolled_back_transaction_syncs_nothing_and_full_comes_back(database, monkeypatch):
    _path, first = database
    synced: list[int] = []
    monkeypatch.setattr(os, "fdatasync", synced.append)
    with pytest.raises(RuntimeError), _Atomic(first):
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO report (text) VALUES ('never kept')")
        raise RuntimeError
    assert synced == []
    with first.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2
        cursor.execute("SELECT COUNT(*) FROM report")
        assert cursor.fetchone()[0] == 0
    # A commit is synced even when SQLite counted no change: DDL changes count none.
    with _Atomic(first), first.cursor() as cursor:
        cursor.execute("CREATE TABLE later (id INTEGER PRIMARY KEY)")
    assert len(synced) == 1


def test_a_database_opened_through_a_symbolic_link_syncs_its_real_log(tmp_path, django_db_blocker):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "okoa.sqlite3"
    link = tmp_path / "link.sqlite3"
    with django_db_blocker.unblock():
        first = connect(real)
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, text TEXT)")
        first.close()
        link.symlink_to(real)
        through_link = connect(link)
        try:
            with _Atomic(through_link), through_link.cursor() as cursor:
                cursor.execute("INSERT INTO report (text) VALUES ('saved')")
            assert os.readlink(f"/proc/self/fd/{through_link._log_fd}") == f"{real}-wal"
            assert not queue_is_taken(real)  # the queue beside the real file
        finally:
            through_link.close()


def test_a_log_that_cannot_be_synced_fails_the_commit(database, monkeypatch):
    path, first = database

    def fdatasync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    failing = pytest.raises(OperationalError, match="disk I/O error")
    with failing, _Atomic(first), first.cursor() as cursor:
        cursor.execute("INSERT INTO report (text) VALUES ('maybe not on disk')")
    assert not queue_is_taken(path)
    # The connection is given up at the end of the request, and left at FULL until then.
    assert not first.is_usable()
    with first.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 2
