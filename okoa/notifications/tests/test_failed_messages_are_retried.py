"""A message the mail server or the SMS gateway did not take is tried again by
``manage.py send_notifications``, later and later, up to a limit; a sent one never again."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from okoa.intake.channels.gateway import GatewayError, SendResult
from okoa.notifications import delivery
from okoa.notifications.actions import notify_organisation
from okoa.notifications.models import OutboundEmail, OutboundSms


class FlakyBackend(BaseEmailBackend):
    """An email backend whose server fails as ``mode`` says, then delivers to mail.outbox."""

    mode = "down"

    def send_messages(self, email_messages):
        if FlakyBackend.mode == "down":
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        if FlakyBackend.mode == "refused":
            refused = {m.to[0]: (550, b"no such mailbox") for m in email_messages}
            raise smtplib.SMTPRecipientsRefused(refused)
        mail.outbox.extend(email_messages)
        return len(email_messages)


class FlakyGateway:
    """An SMS gateway that fails as ``mode`` says."""

    def __init__(self):
        self.mode, self.sent = "down", []

    def send(self, to, message):
        if self.mode == "down":
            raise GatewayError("HTTP 500")
        if self.mode == "invalid":
            return [SendResult(n, accepted=False, permanent_failure=True, status="403") for n in to]
        self.sent.append((to, message))
        return [SendResult(n, accepted=True, message_id="ATXid_9", status="101") for n in to]


@pytest.fixture
def flaky(settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.mode = "down"
    gateway = FlakyGateway()
    monkeypatch.setattr(delivery, "get_gateway", lambda: gateway)
    return gateway


def make_due():
    for model in (OutboundEmail, OutboundSms):
        model.objects.filter(next_attempt_at__isnull=False).update(
            next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
        )


def send_command():
    out = StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue().strip()


def notify(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_organisation(
            cast.partner, event="referral_accepted", reference="Wm5", path="/referrals/Wm5/"
        )


def test_failures_are_tried_again_later_and_then_sent_once(
    cast, desk, flaky, django_capture_on_commit_callbacks, caplog
):
    notify(cast, django_capture_on_commit_callbacks)

    email, sms = OutboundEmail.objects.get(), OutboundSms.objects.get()
    for message in (email, sms):
        assert (message.status, message.attempts) == ("failed", 1)
        assert message.next_attempt_at is not None
        assert message.next_attempt_at > timezone.now()
    assert email.last_error == "unreachable (SMTPServerDisconnected)"
    assert sms.last_error == "HTTP 500"
    assert "mwangaza" not in caplog.text and "722000111" not in caplog.text

    assert send_command() == "Sent 0, failed 0."  # not due yet

    FlakyBackend.mode, flaky.mode = "up", "up"
    make_due()
    assert send_command() == "Sent 2, failed 0."
    make_due()
    assert send_command() == "Sent 0, failed 0."  # a sent message is never sent again

    assert len(mail.outbox) == 1 and len(flaky.sent) == 1
    email.refresh_from_db()
    sms.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == ("sent", 2, None)
    assert (sms.status, sms.attempts, sms.gateway_message_id) == ("sent", 2, "ATXid_9")


def test_the_delay_grows_with_each_failure(cast, desk, flaky, django_capture_on_commit_callbacks):
    notify(cast, django_capture_on_commit_callbacks)
    delays = []
    for _ in range(4):
        email = OutboundEmail.objects.get()
        assert email.next_attempt_at is not None
        delays.append(email.next_attempt_at - timezone.now())
        make_due()
        send_command()

    minutes = [round(delay.total_seconds() / 60) for delay in delays]
    assert minutes == [1, 2, 4, 8]


def test_a_message_is_given_up_after_the_last_attempt(
    cast, desk, flaky, django_capture_on_commit_callbacks
):
    notify(cast, django_capture_on_commit_callbacks)
    for _ in range(OutboundEmail.MAX_ATTEMPTS + 2):
        make_due()
        send_command()

    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        "failed",
        OutboundEmail.MAX_ATTEMPTS,
        None,
    )
    assert mail.outbox == []


def test_a_refused_address_or_invalid_number_is_not_tried_again(
    cast, desk, flaky, django_capture_on_commit_callbacks
):
    FlakyBackend.mode, flaky.mode = "refused", "invalid"
    notify(cast, django_capture_on_commit_callbacks)

    email, sms = OutboundEmail.objects.get(), OutboundSms.objects.get()
    assert (email.status, email.next_attempt_at, email.last_error) == (
        "failed",
        None,
        "recipient refused",
    )
    assert (sms.status, sms.next_attempt_at) == ("failed", None)
    make_due()
    assert send_command() == "Sent 0, failed 0."


def test_a_message_held_by_another_sender_is_not_sent_twice(cast, desk, flaky, settings):
    FlakyBackend.mode = "up"
    settings.OKOA_SMS_GATEWAY = "none"  # the email alone here
    notify_organisation(cast.partner, event="referral_completed", reference="W6", path="/r/W6/")
    email = OutboundEmail.objects.get()
    # Another sender claimed it a moment ago and holds the lease.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status="sending", attempts=1, next_attempt_at=timezone.now() + delivery.SENDING_LEASE
    )

    assert delivery.send_message(OutboundEmail, email.pk) is None
    assert mail.outbox == []

    # That sender died: once its lease has run out, the command takes the message over.
    make_due()
    assert send_command() == "Sent 1, failed 0."
    assert len(mail.outbox) == 1
