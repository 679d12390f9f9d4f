"""A number that floods the SMS short code opens at most its hour's number of reports; its
further texts go into its latest open report, unacknowledged, or, when there is none or it is
full, are dropped with a count in the log. The gateway gets 200 either way. The count is kept
under a keyed hash of the number, never the number."""

import logging

import pytest

from okoa.audit.models import ChangeRecord
from okoa.intake import actions
from okoa.intake.actions import TEXT_LIMITS, RateLimit, close_report, update_report
from okoa.intake.models import (
    AppendedMessage,
    OutboundSms,
    RateLimitCounter,
    Report,
    ReportEvent,
)

from .channels import PHONE, post_sms

OTHER_PHONE = "+254798765432"


@pytest.fixture
def two_an_hour(monkeypatch):
    monkeypatch.setitem(actions.RATE_LIMITS, "sms_phone", RateLimit(limit=2, window=3600))


def flood(client, texts, *, phone=PHONE, first_id=1):
    return [
        post_sms(client, message_id=f"ATXid_{first_id + n}", text=text, **{"from": phone})
        for n, text in enumerate(texts)
    ]


def test_a_number_opens_only_its_limit_of_reports_an_hour(client, gateway, routed, two_an_hour):
    answers = flood(client, ["Msaada 1", "Msaada 2", "Msaada 3", "Msaada 4", "Msaada 5"])

    assert [answer.status_code for answer in answers] == [200] * 5
    assert Report.objects.count() == 2
    assert OutboundSms.objects.count() == 2  # acknowledged: the two reports only


def test_further_texts_are_added_to_the_latest_open_report(client, gateway, routed, two_an_hour):
    flood(client, ["Msaada 1", "Dada yangu yuko Jeddah", "Amefungiwa ndani", "Hana chakula"])

    first, latest = Report.objects.order_by("id")
    assert first.narrative == "Msaada 1"
    narrative = latest.narrative
    assert narrative.startswith("Dada yangu yuko Jeddah\n\nAnother message by SMS, ")
    assert narrative.index("Amefungiwa ndani") < narrative.index("Hana chakula")
    assert latest.version == 3
    assert AppendedMessage.objects.filter(report=latest).count() == 2
    added = ReportEvent.objects.filter(report=latest, kind=ReportEvent.Kind.MESSAGE_ADDED)
    assert [event.data for event in added] == [{"channel": "sms"}, {"channel": "sms"}]
    change = ChangeRecord.objects.filter(record_code=latest.code, action="message_added")
    assert [record.fields for record in change] == [["narrative"], ["narrative"]]


def test_a_text_delivered_again_is_added_once(client, gateway, routed, two_an_hour):
    flood(client, ["Msaada 1", "Msaada 2", "Amefungiwa ndani"])

    again = post_sms(client, message_id="ATXid_3", text="Amefungiwa ndani")

    assert again.status_code == 200
    latest = Report.objects.order_by("id").last()
    assert latest is not None
    assert latest.narrative.count("Amefungiwa ndani") == 1
    assert AppendedMessage.objects.count() == 1


def test_another_number_is_not_held_back(client, gateway, routed, two_an_hour):
    flood(client, ["Msaada 1", "Msaada 2", "Msaada 3"])

    flood(client, ["Nisaidie"], phone=OTHER_PHONE, first_id=100)

    assert Report.objects.count() == 3
    assert Report.objects.order_by("id").last().reporter_phone == OTHER_PHONE  # type: ignore[union-attr]


def test_texts_with_no_open_report_to_go_to_are_dropped_and_counted(
    client, gateway, routed, two_an_hour, caplog
):
    flood(client, ["Msaada 1", "Msaada 2"])
    for report in Report.objects.all():
        close_report(report, reason="false_report", by=None)

    with caplog.at_level(logging.WARNING, logger="okoa.intake.channels.sms"):
        answers = flood(client, ["Siri ya Wekesa", "Siri ya Wekesa tena"], first_id=3)

    assert [answer.status_code for answer in answers] == [200, 200]
    assert Report.objects.count() == 2
    assert not AppendedMessage.objects.exists()
    assert "Siri ya Wekesa" not in repr([report.narrative for report in Report.objects.all()])
    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == [
        "Dropped an SMS from a number over its limit of 2 new reports an hour "
        "(3 messages from it in this hour).",
        "Dropped an SMS from a number over its limit of 2 new reports an hour "
        "(4 messages from it in this hour).",
    ]
    assert "712345678" not in caplog.text and "Siri" not in caplog.text


def test_a_text_that_no_longer_fits_the_report_is_dropped(client, gateway, routed, two_an_hour):
    flood(client, ["Msaada 1", "Msaada 2"])
    latest = Report.objects.order_by("id").last()
    assert latest is not None
    update_report(latest, by=None, narrative="x" * (TEXT_LIMITS["narrative"] - 20))

    answer = post_sms(client, message_id="ATXid_3", text="Amefungiwa ndani tangu jana usiku")

    assert answer.status_code == 200
    latest.refresh_from_db()
    assert "Amefungiwa" not in latest.narrative
    assert Report.objects.count() == 2


def test_the_counters_hold_no_number(client, gateway, routed, two_an_hour):
    flood(client, ["Msaada 1", "Msaada 2", "Msaada 3"])

    counter = RateLimitCounter.objects.get(scope="sms_phone")
    assert counter.hits == 3
    assert "712345678" not in repr(list(RateLimitCounter.objects.values_list()))
