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

Waiting is bounded as SQLite's is (the ``timeout`` option): past it the transaction fails with
"database is locked", as it would have without the queue (``with_database_retry`` tries
again). In-memory databases have no file to lock and keep SQLite's own waiting.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import sqlite3
import threading
import time
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
                    connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True, timeout=1)
                # PASSIVE: copies what it can without waiting for readers or writers.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as error:
                logger.warning("SQLite checkpoint failed (%s); trying again.", type(error).__name__)
                if connection is not None:
                    connection.close()
                connection = None


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_fd: int | None = None
    _queued = False

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        name = self.settings_dict["NAME"]
        immediate = getattr(self, "transaction_mode", None) == "IMMEDIATE"
        if immediate and not self.creation.is_in_memory_db(name):
            path = str(name).removeprefix("file:").split("?", 1)[0]
            self._queue_fd = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
            connection.execute("PRAGMA wal_autocheckpoint=0")
            Checkpointer.ensure(path)
        return connection

    def _start_transaction_under_autocommit(self) -> None:
        self._join_queue()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._leave_queue()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._leave_queue()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None

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
