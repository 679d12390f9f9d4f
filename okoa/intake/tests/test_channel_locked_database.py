"""A briefly locked database on the webhook path is waited out: the report is saved once and
acknowledged; locked for too long, nothing is half-saved and the gateway is told so."""

import pytest
from django.db import OperationalError

from okoa.intake import actions
from okoa.intake.models import OutboundSms, Report, UssdSession

from .channels import post_sms, post_ussd, screen


@pytest.fixture
def locked(monkeypatch):
    """Make saving a report fail with "database is locked" the first ``times`` times."""

    def lock(times: int) -> list[int]:
        calls: list[int] = []
        original = actions.allocate_report_reference

        def flaky(*args, **kwargs):
            reference = original(*args, **kwargs)
            calls.append(1)
            if len(calls) <= times:
                raise OperationalError("database is locked")
            return reference

        monkeypatch.setattr(actions, "allocate_report_reference", flaky)
        return calls

    return lock


def test_an_sms_that_meets_a_locked_database_is_saved_once_it_frees(
    client, routed, gateway, locked, _no_waiting
):
    attempts = locked(2)

    response = post_sms(client, text="Help")

    assert response.status_code == 200
    assert len(attempts) == 3
    assert _no_waiting == [0.2, 0.4]
    report = Report.objects.get()
    assert report.reference.endswith("-000001")  # the failed attempts used no number
    assert OutboundSms.objects.filter(report=report).count() == 1


def test_a_ussd_report_that_meets_a_locked_database_is_saved_once_it_frees(
    client, routed, gateway, locked
):
    locked(1)

    last = screen(post_ussd(client, "1*1*1*1*2*1"))

    report = Report.objects.get()
    assert last.startswith("END Report received.") and report.reference in last
    assert UssdSession.objects.get().report == report


def test_an_sms_locked_out_for_too_long_is_refused_for_the_gateway_to_deliver_again(
    client, routed, gateway, locked
):
    locked(99)

    response = post_sms(client, text="Help")

    assert response.status_code == 503
    assert not Report.objects.exists()
    assert not OutboundSms.objects.exists()


def test_a_ussd_report_locked_out_for_too_long_asks_to_dial_again(client, routed, gateway, locked):
    locked(99)

    last = screen(post_ussd(client, "1*1*1*1*2*1"))

    assert last.startswith("END Sorry, your report could not be saved just now.")
    assert not Report.objects.exists()
    assert not UssdSession.objects.exists()
