"""A number that keeps sending USSD reports records at most its hour's number of them; past that
the last screen asks it to dial again later and nothing is recorded. A repeated last request of
a session that made a report still gets that report's screen."""

import logging

import pytest

from okoa.intake import actions
from okoa.intake.actions import RateLimit
from okoa.intake.channels import ussd
from okoa.intake.models import Report, UssdSession

from .channels import post_ussd, screen

REPORT = "1*1*3*1*4*1"  # English, report, Oman, in danger, 4 people, send


@pytest.fixture
def one_an_hour(monkeypatch):
    monkeypatch.setitem(actions.RATE_LIMITS, "ussd_phone", RateLimit(limit=1, window=3600))


def test_a_second_report_within_the_hour_is_refused_with_a_last_screen(
    client, gateway, routed, one_an_hour, caplog
):
    first = screen(post_ussd(client, REPORT, session="ATUid_one"))

    with caplog.at_level(logging.WARNING, logger="okoa.intake.channels.ussd"):
        second = screen(post_ussd(client, REPORT, session="ATUid_two"))

    assert first.startswith("END Report received.")
    assert second == (
        "END We have received several reports from this number in the last hour and will "
        "contact you. Please dial again later to send another."
    )
    assert len(second) - len("END ") <= ussd.MAX_SCREEN
    assert Report.objects.count() == 1
    assert UssdSession.objects.count() == 1
    assert [record.getMessage() for record in caplog.records] == [
        "Refused a USSD report from a number over its limit of 1 new reports an hour "
        "(2 from it in this hour)."
    ]
    assert "712345678" not in caplog.text


def test_a_repeated_last_request_is_not_counted_against_the_number(
    client, gateway, routed, one_an_hour
):
    first = screen(post_ussd(client, REPORT, session="ATUid_one"))

    assert screen(post_ussd(client, REPORT, session="ATUid_one")) == first
    assert Report.objects.count() == 1


def test_another_number_still_reports(client, gateway, routed, one_an_hour):
    screen(post_ussd(client, REPORT, session="ATUid_one"))

    other = screen(post_ussd(client, REPORT, session="ATUid_two", phone="+254798765432"))

    assert other.startswith("END Report received.")
    assert Report.objects.count() == 2


def test_the_menu_itself_is_never_limited(client, gateway, routed, one_an_hour):
    screen(post_ussd(client, REPORT, session="ATUid_one"))

    assert screen(post_ussd(client, "1*1", session="ATUid_two")).startswith("CON ")
