"""The data step of ``cases/0008_case_event_text`` moves the words a status change kept in
plain ``data["reason"]`` into the encrypted ``text``, leaves the category reasons (why a stay
ended, why a referral was declined) in ``data``, may run again, and its reverse puts the words
back."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from okoa.cases.actions import change_case_status, record_event
from okoa.cases.models import CaseEvent

migration = importlib.import_module("okoa.cases.migrations.0008_case_event_text")
REASON = "Her brother Odhiambo came to fetch her from Kisumu"


@pytest.fixture
def old_timeline(cast, make_case):
    """A timeline as it was stored before the migration: the words in ``data``."""
    case = make_case(given_name="Atieno")
    change_case_status(case, to="in_care", by=cast.caseworker, reason=REASON)
    change_case_status(case, to="closure_requested", by=cast.caseworker)
    # Category reasons, as the shelters and referrals apps write them.
    record_event(
        case, CaseEvent.Kind.SHELTER_CHECK_OUT, by=cast.caseworker, shelter="s1", reason="family"
    )
    record_event(
        case,
        CaseEvent.Kind.REFERRAL_UPDATED,
        by=cast.caseworker,
        referral="r1",
        status="declined",
        reason="no_capacity",
    )
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS_CHANGED)
    for event in events:
        events.filter(pk=event.pk).update(data={**event.data, "reason": event.text}, text="")
    return case


def stored(case) -> list[tuple[str, dict, str]]:
    """The case's timeline as stored: kind, data and the raw text column, oldest first."""
    events = CaseEvent.objects.filter(case=case).order_by("id")
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, text FROM {table} WHERE case_id = %s ORDER BY id",
            [case.pk],
        )
        raw = dict(cursor.fetchall())
    return [(event.kind, event.data, raw[event.pk]) for event in events if event.kind != "opened"]


def run(function) -> None:
    function(apps, SimpleNamespace(connection=connection))


def test_the_words_move_into_the_sealed_text_and_categories_stay(old_timeline):
    assert stored(old_timeline)[0][1]["reason"] == REASON

    run(migration.move_reasons_into_text)

    (moved, unworded, check_out, declined) = stored(old_timeline)
    assert moved[1] == {"previous": "open", "to": "in_care"}
    assert moved[2].startswith("okoa1:") and "Odhiambo" not in moved[2]
    assert unworded[1:] == ({"previous": "in_care", "to": "closure_requested"}, "")
    assert check_out[1:] == ({"shelter": "s1", "reason": "family"}, "")
    assert declined[1:] == (
        {"referral": "r1", "status": "declined", "reason": "no_capacity"},
        "",
    )
    event = CaseEvent.objects.get(case=old_timeline, data__to="in_care")
    assert event.text == REASON


def test_running_it_again_changes_nothing(old_timeline):
    run(migration.move_reasons_into_text)
    once = stored(old_timeline)

    run(migration.move_reasons_into_text)

    assert stored(old_timeline) == once


def test_going_back_puts_the_words_back_into_data_once(old_timeline):
    before = stored(old_timeline)
    run(migration.move_reasons_into_text)

    run(migration.move_text_back_into_reasons)
    run(migration.move_text_back_into_reasons)

    assert stored(old_timeline) == before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite compares JSON as text")
def test_a_reason_stored_with_other_spacing_is_moved_too(old_timeline):
    # JSON written otherwise than by Django (no spaces after separators) does not match the
    # compare-and-swap on SQLite: the second pass moves it by primary key.
    event = CaseEvent.objects.filter(
        case=old_timeline, kind=CaseEvent.Kind.STATUS_CHANGED, data__has_key="reason"
    ).first()
    assert event is not None
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET data = %s WHERE id = %s",
            ['{"previous":"open","to":"in_care","reason":"' + REASON + '"}', event.pk],
        )
    run(migration.move_reasons_into_text)
    event.refresh_from_db()
    assert "reason" not in event.data
    assert event.text == REASON
