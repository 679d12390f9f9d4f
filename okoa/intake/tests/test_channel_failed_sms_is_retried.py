"""An SMS the gateway did not take is tried again by ``manage.py send_queued_sms``, later and
later, until it goes or is given up; a number the gateway calls invalid is not tried again."""

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from okoa.intake.channels.outbound import send_outbound_sms
from okoa.intake.models import OutboundSms

from .channels import post_sms


def make_due():
    """Let the time of the next attempt come (of every SMS not given up)."""
    OutboundSms.objects.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def send_one_report(client, django_capture_on_commit_callbacks, message_id="ATXid_1"):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_sms(client, message_id=message_id, text="Help").status_code == 200


def test_a_failed_send_is_tried_again_by_the_command(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks, caplog
):
    africastalking.mode = "http_error"
    send_one_report(client, django_capture_on_commit_callbacks)

    sms = OutboundSms.objects.get()
    assert sms.status == OutboundSms.Status.FAILED
    assert sms.attempts == 1
    assert sms.last_error == "HTTP 500"
    assert sms.next_attempt_at is not None and sms.next_attempt_at > timezone.now()
    assert "712345678" not in caplog.text

    call_command("send_queued_sms")  # not due yet
    assert len(africastalking.requests) == 1

    africastalking.mode = "accept"
    make_due()
    call_command("send_queued_sms")

    sms.refresh_from_db()
    assert sms.status == OutboundSms.Status.SENT
    assert sms.attempts == 2
    assert len(africastalking.requests) == 2


def test_a_gateway_out_of_credit_is_tried_again_later(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    africastalking.mode = "insufficient_balance"
    send_one_report(client, django_capture_on_commit_callbacks)

    sms = OutboundSms.objects.get()
    assert sms.status == OutboundSms.Status.FAILED
    assert sms.next_attempt_at is not None
    assert "InsufficientBalance" in sms.last_error


def test_an_invalid_number_is_not_tried_again(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    africastalking.mode = "invalid_number"
    send_one_report(client, django_capture_on_commit_callbacks)
    make_due()
    call_command("send_queued_sms")

    sms = OutboundSms.objects.get()
    assert sms.status == OutboundSms.Status.FAILED
    assert sms.next_attempt_at is None
    assert len(africastalking.requests) == 1


def test_an_unreachable_gateway_is_tried_again_and_given_up_after_the_last_attempt(
    client, routed, gateway, settings, django_capture_on_commit_callbacks
):
    settings.OKOA_SMS_GATEWAY = "africastalking"
    settings.OKOA_SMS_API_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.OKOA_SMS_API_KEY = "atsk_unused"
    send_one_report(client, django_capture_on_commit_callbacks)

    for _ in range(OutboundSms.MAX_ATTEMPTS):  # one more than it takes
        make_due()
        call_command("send_queued_sms")

    sms = OutboundSms.objects.get()
    assert sms.status == OutboundSms.Status.FAILED
    assert sms.attempts == OutboundSms.MAX_ATTEMPTS
    assert sms.next_attempt_at is None
    assert sms.last_error.startswith("unreachable")


def test_an_sms_left_queued_by_a_crash_is_sent_by_the_command(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the process died before sending
        post_sms(client, text="Help")
    call_command("send_queued_sms")  # the dead sender's lease has not run out yet
    assert africastalking.requests == []

    make_due()
    call_command("send_queued_sms")

    assert OutboundSms.objects.get().status == OutboundSms.Status.SENT
    assert len(africastalking.requests) == 1


def test_an_sms_being_sent_elsewhere_is_not_sent_twice(
    client, routed, gateway, africastalking, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        post_sms(client, text="Help")
    sms = OutboundSms.objects.get()
    OutboundSms.objects.update(
        status=OutboundSms.Status.SENDING,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=5),
    )

    assert send_outbound_sms(sms.pk) is None
    assert africastalking.requests == []


def test_the_command_says_what_it_did(client, routed, gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        post_sms(client, text="Help")
    make_due()

    out = StringIO()
    call_command("send_queued_sms", stdout=out)
    assert "SMS sent: 1" in out.getvalue()
