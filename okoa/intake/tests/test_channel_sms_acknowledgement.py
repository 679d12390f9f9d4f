"""An SMS report is acknowledged by SMS, through the gateway's API (a real HTTP server on
127.0.0.1 speaking Africa's Talking's), only after the report is committed: reference and PIN,
in the sender's language, and nothing of what was reported."""

import re

import pytest
from django.db import transaction

from okoa.intake import actions
from okoa.intake.actions import create_report
from okoa.intake.channels.outbound import queue_acknowledgement
from okoa.intake.models import OutboundSms, Report

from .channels import API_KEY, PHONE, post_sms

TEXT = "My sister Chebet Rotich is held by her employer in Riyadh"


def test_the_acknowledgement_leaves_only_after_the_report_is_committed(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_sms(client, text=TEXT)

        # Committed report, queued SMS, nothing sent yet: the sending waits for the commit.
        assert response.status_code == 200
        assert Report.objects.count() == 1
        assert OutboundSms.objects.get().sent_at is None
        assert africastalking.requests == []

    for callback in callbacks:
        callback()

    report = Report.objects.get()
    [request] = africastalking.requests
    assert request["path"] == "/version1/messaging"
    assert request["headers"]["apikey"] == API_KEY
    assert request["headers"]["accept"] == "application/json"
    assert request["form"]["username"] == ["okoa-test"]
    assert request["form"]["to"] == [PHONE]
    message = request["form"]["message"][0]
    assert f"Reference {report.reference}" in message
    assert re.search(r"PIN \d{6}", message)
    assert "Chebet" not in message and "Riyadh" not in message
    assert len(message) <= 160
    sms = OutboundSms.objects.get()
    assert sms.status == OutboundSms.Status.SENT
    assert sms.gateway_message_id.startswith("ATXid_")
    assert sms.sent_at is not None


def test_the_pin_in_the_sms_opens_the_status_page(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_sms(client, text=TEXT)

    report = Report.objects.get()
    found = re.search(r"PIN (\d{6})", africastalking.messages[0])
    assert found is not None
    pin = found.group(1)
    response = client.post("/report/status/", {"reference": report.reference, "pin": pin})
    assert response.status_code == 200


def test_a_message_in_kiswahili_is_acknowledged_in_kiswahili(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_sms(client, text="Tafadhali nisaidie, dada yangu amefungiwa Jeddah")

    assert africastalking.messages[0].startswith("Okoa: tumepokea ripoti yako.")
    assert Report.objects.get().language == "sw"


def test_nothing_is_sent_when_the_transaction_fails_after_queueing(
    routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        received = create_report(channel="sms", by=None, reporter_phone=PHONE, narrative=TEXT)
        queue_acknowledgement(received, to=PHONE, language="en")
        raise RuntimeError("the transaction fails after the SMS was queued")

    assert callbacks == []
    assert africastalking.requests == []
    assert not Report.objects.exists()
    assert not OutboundSms.objects.exists()


def test_a_report_that_fails_to_save_is_not_acknowledged(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the timeline cannot be written")

    monkeypatch.setattr(actions, "record_event", broken)
    client.raise_request_exception = False

    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, text=TEXT)

    assert response.status_code == 500
    assert africastalking.requests == []
    assert not Report.objects.exists()
    assert not OutboundSms.objects.exists()


def test_without_a_gateway_no_acknowledgement_is_queued(
    client, routed, gateway, django_capture_on_commit_callbacks
):
    gateway.OKOA_SMS_GATEWAY = "none"

    with django_capture_on_commit_callbacks(execute=True):
        response = post_sms(client, text=TEXT)

    assert response.status_code == 200
    assert Report.objects.count() == 1
    assert not OutboundSms.objects.exists()
