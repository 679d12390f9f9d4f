"""Two caseworkers check two survivors in for the last bed at the same moment: one check-in
succeeds, the other is refused because the shelter is full, and the shelter never holds more
people than beds.

The check-ins run in two threads, each with its own database connection, against a database set
up as Okoa's own: on PostgreSQL the test database itself; on SQLite a file copy of it in WAL
mode with IMMEDIATE transactions (the in-memory test database cannot be shared between writers).
The first check-in stops after counting the beds, holding its lock, until the second one is
waiting (on PostgreSQL: seen waiting for a lock), then saves: the second must count again
after the first has committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.utils import load_backend

from okoa.settings import sqlite_database
from okoa.shelters import actions
from okoa.shelters.actions import check_in
from okoa.shelters.models import ShelterStay

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A liveness guard against a hung thread, never a timing assertion.
PATIENCE = 60


def run_in_thread(
    work: Callable[[], Any], *, name: str, database: Path | None
) -> tuple[threading.Thread, dict[str, Any]]:
    """Start ``work`` in a thread with its own connection (to ``database`` if given)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        if database is not None:
            settings_dict = connections.configure_settings({"default": sqlite_database(database)})
            backend = load_backend(settings_dict["default"]["ENGINE"])
            connections["default"] = backend.DatabaseWrapper(settings_dict["default"], "default")
        try:
            outcome["result"] = work()
        except BaseException as error:
            outcome["error"] = error
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread, outcome


def wait_until_another_transaction_waits_for_a_lock() -> None:
    """On PostgreSQL, return once some other connection is waiting for a lock."""
    if connection.vendor != "postgresql":
        return  # SQLite: the second transaction cannot even begin while the first one writes
    with connection.cursor() as cursor:
        for _attempt in range(PATIENCE * 10):  # half the patience: the threads get the rest
            # pg_locks is read live (pg_stat_activity would be frozen for this transaction).
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.05)
    raise AssertionError("the second check-in never waited for the first one's lock")


@pytest.fixture
def database(tmp_path) -> Path | None:
    """Where the threads write: None for the test database itself (PostgreSQL)."""
    return tmp_path / "okoa.sqlite3" if connection.vendor == "sqlite" else None


def test_two_check_ins_for_the_last_bed(cast, make_case, make_shelter, database, monkeypatch):
    shelter = make_shelter(capacity=2)
    staying = make_case(given_name="Akinyi")
    check_in(staying, shelter=shelter, people=[staying.person], by=cast.caseworker)
    first_case, second_case = make_case(given_name="Wanjiru"), make_case(given_name="Chebet")
    if database is not None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(database)])

    counted = threading.Event()
    second_started = threading.Event()
    real_count = actions.occupied_beds

    def count_then_hold(locked_shelter: Any) -> int:
        beds = real_count(locked_shelter)
        if threading.current_thread().name == "first":
            counted.set()
            assert second_started.wait(PATIENCE)
            wait_until_another_transaction_waits_for_a_lock()
        return beds

    monkeypatch.setattr(actions, "occupied_beds", count_then_hold)

    def checking_in(case: Any, by: Any) -> Callable[[], Any]:
        return lambda: check_in(case, shelter=shelter, people=[case.person], by=by)

    first, first_outcome = run_in_thread(
        checking_in(first_case, cast.caseworker), name="first", database=database
    )
    assert counted.wait(PATIENCE)
    second_started.set()
    second, second_outcome = run_in_thread(
        checking_in(second_case, cast.supervisor), name="second", database=database
    )
    for thread in (first, second):
        thread.join(PATIENCE)
        assert not thread.is_alive()

    assert "error" not in first_outcome, first_outcome.get("error")
    assert [stay.person_id for stay in first_outcome["result"]] == [first_case.person_id]
    refusal = second_outcome.get("error")
    assert isinstance(refusal, ValidationError), refusal
    assert "This shelter is full: 2 of 2 beds are taken" in refusal.message_dict["shelter"][0]
    counting, counted_outcome = run_in_thread(
        lambda: sorted(
            ShelterStay.objects.filter(shelter_id=shelter.pk)
            .open()
            .values_list("case_id", flat=True)
        ),
        name="count",
        database=database,
    )
    counting.join(PATIENCE)
    assert counted_outcome["result"] == sorted([staying.pk, first_case.pk])
