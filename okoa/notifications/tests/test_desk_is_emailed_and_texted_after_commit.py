"""The referral desk gets one email and one SMS, and only once the caller's change is committed."""

import pytest
from django.core import mail
from django.db import transaction

from okoa.notifications.actions import notify_organisation
from okoa.notifications.models import OutboundEmail, OutboundSms


def notify(cast):
    notify_organisation(
        cast.partner, event="referral_received", reference="Kq7mP2xR", path="/referrals/Kq7mP2xR/"
    )


def test_desk_is_emailed_and_texted_once_the_transaction_commits(
    cast, desk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(cast)
        assert mail.outbox == []  # nothing leaves before the commit

    assert len(callbacks) == 2
    for callback in callbacks:
        callback()

    assert [message.to for message in mail.outbox] == [["referrals@mwangaza.test"]]
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.organisation) == ("sent", 1, cast.partner)
    assert email.sent_at is not None
    sms = OutboundSms.objects.get()
    assert (sms.to, sms.status, sms.attempts) == ("+254722000111", "sent", 1)


def test_a_rolled_back_change_sends_nothing(cast, desk, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(cast)
        raise RuntimeError("the referral failed")

    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()
    assert not OutboundSms.objects.exists()


def test_an_organisation_without_contacts_gets_nothing_outside_the_app(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(cast)

    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()
    assert not OutboundSms.objects.exists()


def test_no_sms_is_queued_without_an_sms_gateway(cast, desk, settings):
    settings.OKOA_SMS_GATEWAY = "none"

    notify(cast)

    assert OutboundEmail.objects.count() == 1
    assert not OutboundSms.objects.exists()
