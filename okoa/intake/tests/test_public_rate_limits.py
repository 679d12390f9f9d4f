"""Public forms are rate-limited in the database per client address, per phone number and (for
the status page) per reference, so that the limits hold across several server processes."""

import datetime

import pytest
from django.utils import timezone

from okoa.intake import actions
from okoa.intake.actions import RateLimit, count_attempt
from okoa.intake.models import RateLimitCounter, Report

from .conftest import public_form


@pytest.fixture
def tight_limits(monkeypatch):
    monkeypatch.setitem(actions.RATE_LIMITS, "report_address", RateLimit(limit=3, window=3600))
    monkeypatch.setitem(actions.RATE_LIMITS, "report_phone", RateLimit(limit=2, window=3600))
    monkeypatch.setitem(actions.RATE_LIMITS, "status_address", RateLimit(limit=3, window=3600))
    monkeypatch.setitem(actions.RATE_LIMITS, "status_reference", RateLimit(limit=2, window=3600))


def send(client, address, phone):
    return client.post("/report/", public_form(reporter_phone=phone), REMOTE_ADDR=address)


def test_one_address_is_refused_after_its_limit(client, cast, tight_limits):
    phones = ["0711 000 001", "0711 000 002", "0711 000 003", "0711 000 004"]
    answers = [send(client, "203.0.113.7", phone).status_code for phone in phones]

    assert answers == [200, 200, 200, 429]
    assert Report.objects.count() == 3


def test_another_address_is_not_held_back_by_a_busy_one(client, cast, tight_limits):
    for phone in ["0711 000 001", "0711 000 002", "0711 000 003", "0711 000 004"]:
        send(client, "203.0.113.7", phone)

    assert send(client, "198.51.100.20", "0711 000 005").status_code == 200


def test_one_phone_number_is_refused_after_its_limit_from_any_address(client, cast, tight_limits):
    answers = [
        send(client, address, phone).status_code
        for address, phone in [
            ("203.0.113.7", "0722 111 222"),
            ("198.51.100.20", "+254 722 111 222"),
            ("192.0.2.33", "254722111222"),
        ]
    ]

    assert answers == [200, 200, 429]
    assert Report.objects.count() == 2


def test_a_refused_report_keeps_the_words_typed_and_says_why(client, cast, tight_limits):
    for _ in range(2):
        send(client, "203.0.113.7", "0722 111 222")

    response = send(client, "203.0.113.8", "0722 111 222")

    assert response.status_code == 429
    text = response.content.decode()
    assert "locked in her employer" in text
    assert "Please wait an hour and send it again." in text


def test_the_status_page_is_limited_per_address(client, cast, tight_limits):
    answers = [
        client.post(
            "/report/status/",
            {"reference": f"TUM-R-2026-00000{n}", "pin": "123456"},
            REMOTE_ADDR="203.0.113.7",
        ).status_code
        for n in range(1, 5)
    ]

    assert answers == [400, 400, 400, 429]


def test_the_status_page_is_limited_per_reference_from_any_address(client, cast, tight_limits):
    answers = [
        client.post(
            "/report/status/",
            {"reference": "TUM-R-2026-000001", "pin": f"00000{n}"},
            REMOTE_ADDR=f"203.0.113.{n}",
        ).status_code
        for n in range(1, 4)
    ]

    assert answers == [400, 400, 429]


def test_a_new_window_starts_a_new_count(db, tight_limits):
    now = timezone.now()
    for _ in range(3):
        assert count_attempt("report_address", "203.0.113.7", now=now)
    assert not count_attempt("report_address", "203.0.113.7", now=now)

    assert count_attempt("report_address", "203.0.113.7", now=now + datetime.timedelta(hours=1))


def test_the_counters_hold_no_address_or_number(client, cast, tight_limits):
    send(client, "203.0.113.7", "0722 111 222")

    rows = repr(list(RateLimitCounter.objects.values_list()))
    assert "203.0.113.7" not in rows
    assert "722111222" not in rows


def test_the_same_form_sent_twice_is_counted_once(client, cast, tight_limits):
    form = public_form(reporter_phone="0722 111 222", submission="double-tap-7")

    answers = [
        client.post("/report/", form, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)
    ]

    assert answers == [200, 200, 200]
    assert Report.objects.count() == 1
    assert RateLimitCounter.objects.get(scope="report_phone").hits == 1


def test_a_report_that_could_not_be_saved_is_not_counted(client, cast, tight_limits, monkeypatch):
    # Counted in the report's own transaction: a failure takes the counts back with it.
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "index_report", fail)
    client.raise_request_exception = False

    response = send(client, "203.0.113.7", "0722 111 222")

    assert response.status_code == 500
    assert not Report.objects.exists()
    assert not RateLimitCounter.objects.exists()
