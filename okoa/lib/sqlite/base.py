"""Django's SQLite backend, with writers queued on a lock file instead of SQLite's busy sleeps.

SQLite has one writer at a time. A connection that finds the write lock taken waits in
SQLite's busy handler, which sleeps in growing steps (1, 2, 5, 10, 15, 20, 25 ms and more) and
so often sleeps on while the lock is already free: in an intake surge, with every report a
short write transaction, the machine's cores stood idle a fifth of the time while reports
waited. Here a transaction first takes an exclusive ``flock`` on ``<database>-writers``: a
writer waiting for it is woken as soon as it is released, then takes SQLite's write lock
(``BEGIN IMMEDIATE``, unchallenged by the other queued writers) and gives both up at commit or
rollback. Statements outside a transaction (autocommit) still meet SQLite's busy handler.

The write-ahead log is copied back into the database by a thread of each process
(``Checkpointer``, every second, ``PRAGMA wal_checkpoint(PASSIVE)`` on a connection of its own),
not by SQLite's automatic checkpoint, which ran inside the commit of whichever request crossed
1,000 log pages: 15-25 ms added to about one case-list page in twenty, and in an intake surge a
writer holding the queue meanwhile.

A commit is made durable outside the queue. SQLite's ``synchronous=FULL`` syncs the log inside
the commit, while the writer still holds the write lock, so every other writer waited for the
disk as well. Here a transaction runs with ``synchronous=NORMAL`` (in WAL mode: the log is
written at commit, not synced), the lock and the queue are given up, and then the connection
syncs the log itself (``fdatasync`` of ``<database>-wal``) before ``commit()`` returns: a
commit that has returned is on disk, as with FULL, and the syncs of writers that committed one
after the other overlap. Statements outside a transaction (autocommit) keep ``FULL``. Between
a commit and its sync, another connection may already read what it wrote: what such a reader
writes in turn comes after it in the log, so it can never outlast it. SQLite still syncs the
log's header when it starts the log anew, and the log before and the database after each
checkpoint, under NORMAL as under FULL. In any other journal mode (a file system without WAL)
nothing of this is done.

Waiting is bounded as SQLite's is (the ``timeout`` option): past it the transaction fails with
"database is locked", as it would have without the queue (``with_database_retry`` tries
again). In-memory databases have no file to lock and keep SQLite's own waiting.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

logger = logging.getLogger(__name__)

CHECKPOINT_EVERY = 1.0  # seconds


class Checkpointer:
    """A daemon thread per process and database file that checkpoints the log every second."""

    _started: dict[tuple[int, str], Checkpointer] = {}
    _lock = threading.Lock()

    @classmethod
    def ensure(cls, path: str) -> None:
        key = (os.getpid(), path)  # a forked worker starts its own
        with cls._lock:
            if key not in cls._started:
                cls._started[key] = cls(path)

    def __init__(self, path: str) -> None:
        self.path = path
        # A URI of the resolved path: "//srv/okoa.sqlite3" (as ``sqlite:////srv/...`` once
        # gave) would read as a host name, and a "?" or "#" in a folder's name as the query.
        self.uri = f"{Path(path).resolve().as_uri()}?mode=rw"
        thread = threading.Thread(target=self._run, name="okoa-sqlite-checkpoint", daemon=True)
        thread.start()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        while True:
            time.sleep(CHECKPOINT_EVERY)
            if not os.path.exists(self.path):  # the database was removed (a test's, a restore)
                with self._lock:
                    self._started.pop((os.getpid(), self.path), None)
                if connection is not None:
                    connection.close()
                return
            try:
                if connection is None:
                    # mode=rw: never creates a database where there is none.
                    connection = sqlite3.connect(self.uri, uri=True, timeout=1)
                    # Syncs the log before copying it and the database after: the commits of
                    # the others are synced outside their lock, by themselves.
                    connection.execute("PRAGMA synchronous=FULL")
                # PASSIVE: copies what it can without waiting for readers or writers.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as error:
                # SQLite's messages name no data ("database is locked", "unable to open ...").
                logger.warning(
                    "SQLite checkpoint failed (%s: %s); trying again.", type(error).__name__, error
                )
                if connection is not None:
                    connection.close()
                connection = None


@functools.lru_cache(maxsize=2048)
def _qmark_query(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    """Django's cursor, with each statement's placeholders converted once, not at every run.

    Django rewrites ``%s`` to SQLite's ``?`` with a regular expression before every statement:
    a few hundredths of a millisecond each, and a public report runs some fifteen. The same
    texts come back again and again (the ORM's and the plain statements' alike): the rewritten
    text of the last 2,048 is kept.
    """

    def convert_query(self, query: str, *, param_names: Any = None) -> str:
        if param_names is None and len(query) <= 4096:
            return _qmark_query(query)
        # Long texts (a bulk insert, a long IN list) vary too much to keep.
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_fd: int | None = None
    _queued = False
    _log_path: str | None = None  # the write-ahead log synced after each commit (WAL mode)
    _log_fd: int | None = None
    _sync_failed = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        name = self.settings_dict["NAME"]
        immediate = getattr(self, "transaction_mode", None) == "IMMEDIATE"
        # The file SQLite opened, after any symbolic link and whatever the name's form (a path,
        # a file: URI): its log lies beside it, and two names for one database share one
        # writers' queue. None for a database in memory.
        path = connection.execute("PRAGMA database_list").fetchone()[2]
        if immediate and path and not self.creation.is_in_memory_db(name):
            self._queue_fd = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
            connection.execute("PRAGMA wal_autocheckpoint=0")
            Checkpointer.ensure(path)
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            self._log_path = f"{path}-wal" if str(mode).lower() == "wal" else None
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        self._join_queue()
        try:
            self._set_synchronous("NORMAL")
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_queue()
            self._back_to_full()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._leave_queue()
        try:
            # Every commit, even of a transaction that seems to have changed nothing: DDL and
            # header changes are not counted by SQLite's change counter.
            if self._log_path is not None and self.connection is not None:
                self._sync_log()
        finally:
            self._back_to_full()

    def is_usable(self) -> bool:
        return not self._sync_failed and super().is_usable()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_queue()
            self._back_to_full()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
            if self._log_fd is not None:
                os.close(self._log_fd)
                self._log_fd = None

    def _back_to_full(self) -> None:
        # Statements outside a transaction are synced by SQLite itself, inside their commit.
        self._set_synchronous("FULL")

    def _set_synchronous(self, level: str) -> None:
        if self._log_path is not None and self.connection is not None:
            with self.wrap_database_errors:
                self.connection.execute(f"PRAGMA synchronous={level}")

    def _sync_log(self) -> None:
        """Sync the log the commit just wrote (see the module's docstring).

        A failed sync fails the commit: its rows may be visible but not on disk, and the caller
        must not tell anyone they are saved. The connection is then closed at the end of the
        request (``is_usable``): Linux marks the pages of a failed sync clean, so a later sync
        on the same descriptor would succeed without writing them.
        """
        assert self._log_path is not None
        try:
            if self._log_fd is None:
                self._log_fd = os.open(self._log_path, os.O_RDONLY)
            os.fdatasync(self._log_fd)
        except OSError as error:
            self._sync_failed = True
            self.errors_occurred = True
            logger.critical(
                "The SQLite write-ahead log could not be synced (%s): a commit may not be on disk.",
                error.strerror,
            )
            raise OperationalError(
                f"disk I/O error: the log could not be synced ({error.strerror})"
            ) from error

    def _join_queue(self) -> None:
        fd = self._queue_fd
        if fd is None or self._queued:
            return
        timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if time.monotonic() >= deadline:
                raise OperationalError("database is locked")
            time.sleep(pause)
            pause = min(pause * 1.5, 0.002)
        self._queued = True

    def _leave_queue(self) -> None:
        if self._queued and self._queue_fd is not None:
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
        self._queued = False
