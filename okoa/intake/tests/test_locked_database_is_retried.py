"""A briefly locked database is waited out, never answered with an error that loses the report."""

import pytest
from django.db import OperationalError

from okoa.intake import actions
from okoa.intake.actions import receive_report, with_database_retry
from okoa.intake.models import Report, ReportSearchToken

from .conftest import public_form


@pytest.fixture
def locked(monkeypatch):
    """Make saving a report fail with "database is locked" the first ``times`` times."""

    def lock(times: int, message: str = "database is locked") -> list[int]:
        calls: list[int] = []
        original = actions.allocate_report_reference

        def flaky(*args, **kwargs):
            # The lock strikes after the reference number was taken: that must be undone too.
            reference = original(*args, **kwargs)
            calls.append(1)
            if len(calls) <= times:
                raise OperationalError(message)
            return reference

        monkeypatch.setattr(actions, "allocate_report_reference", flaky)
        return calls

    return lock


def test_a_report_sent_while_the_database_is_locked_is_saved_once_it_frees(
    client, cast, locked, _no_waiting
):
    attempts = locked(2)

    response = client.post("/report/", public_form())

    assert response.status_code == 200
    assert len(attempts) == 3
    assert Report.objects.count() == 1
    assert Report.objects.get().reference in response.content.decode()
    assert _no_waiting == [0.2, 0.4]  # backing off, doubling


def test_a_failed_attempt_leaves_nothing_behind(cast, locked):
    locked(1)

    received = receive_report(
        cast.ngo,
        channel="sms",
        by=None,
        narrative="Msaada, niko Muscat",
        reporter_phone="0712345678",
    )

    assert Report.objects.count() == 1
    assert received.report.reference.endswith("-000001")
    assert ReportSearchToken.objects.filter(report=received.report).count() == 1


def test_other_database_errors_are_not_retried(cast, locked):
    attempts = locked(1, message="no such table: intake_report")

    with pytest.raises(OperationalError):
        receive_report(cast.ngo, channel="sms", by=None, narrative="Help")

    assert len(attempts) == 1


def test_the_retries_are_bounded(db):
    attempts: list[int] = []

    def always_locked():
        attempts.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        with_database_retry(always_locked, attempts=5)

    assert len(attempts) == 5


def test_a_database_locked_for_too_long_gives_the_form_back_with_the_words_typed(
    client, cast, locked
):
    locked(99)

    response = client.post("/report/", public_form())

    assert response.status_code == 503
    text = response.content.decode()
    assert "could not be saved just now" in text
    assert "locked in her employer" in text
    assert not Report.objects.exists()
