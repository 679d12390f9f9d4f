"""Sender threads: work handed over after a commit, done beside the request that committed it.

Used by the intake's acknowledgement SMS, the notifications' emails and SMS and the exchange's
messages: each is committed first (so it is never lost), then handed to a small pool of
threads so that no web worker waits for a gateway or a partner; a cron job retries whatever
the thread could not send. One pool per purpose and process: a forked worker starts its own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections


class Senders:
    """A pool of ``threads`` sender threads named ``name``, started on first use."""

    def __init__(self, name: str, threads: Callable[[], int]) -> None:
        self._name = name
        self._threads = threads  # read when the pool starts (a setting; tests change it)
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def submit(self, work: Callable[..., Any], *arguments: Any) -> None:
        """Run ``work(*arguments)`` in a sender thread; the thread's database connection is
        then treated as a request's would be (closed when too old or unusable)."""
        with self._lock:
            if self._pool is None or self._pid != os.getpid():  # a new process (a fork)
                self._pool = ThreadPoolExecutor(
                    max_workers=self._threads(), thread_name_prefix=self._name
                )
                self._pid = os.getpid()
            pool = self._pool
        pool.submit(self._run, work, arguments)

    @staticmethod
    def _run(work: Callable[..., Any], arguments: tuple[Any, ...]) -> None:
        try:
            work(*arguments)
        finally:
            close_old_connections()

    def stop(self) -> None:
        """Wait for the threads to finish and end them (their connections close with them).

        For a process about to drop its database (the test suite) or exit; a later ``submit``
        starts new threads.
        """
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
