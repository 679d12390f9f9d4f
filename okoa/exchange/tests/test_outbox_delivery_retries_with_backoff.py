"""The outbox keeps every message until the partner's signed acknowledgement: failures are
tried again after a growing delay, given up only after many attempts (and kept), and the body
never reaches an error or a log."""

from __future__ import annotations

import datetime
import logging
import socket

import pytest
from django.db import connection
from django.utils import timezone

from okoa.exchange import actions, delivery
from okoa.exchange.models import OutboundMessage, Partner
from okoa.exchange.tests.conftest import TEST_KIND

BODY = {"shared": {"given_name": "Wanjiru", "family_name": "Kamau"}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue(partner: Partner) -> OutboundMessage:
    return actions.send_to_partner(partner, kind=TEST_KIND, body=BODY)


def make_due(message: OutboundMessage) -> None:
    OutboundMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_a_message_is_delivered_once_acknowledged_and_its_body_dropped(partner_server, remote):
    message = queue(remote.partner)
    assert delivery.deliver_due().delivered == 1
    message.refresh_from_db()
    assert message.status == "delivered" and message.delivered_at is not None
    assert message.body is None and message.attempts == 1 and message.last_error == ""
    [(header, body)] = partner_server.received
    assert body == BODY
    assert header.message_id == message.message_id and header.kind == TEST_KIND
    assert delivery.deliver_due().delivered == 0  # nothing is sent twice


def test_an_unreachable_partner_keeps_the_message_and_is_tried_again_later(remote, settings):
    Partner.objects.filter(pk=remote.partner.pk).update(base_url=f"http://127.0.0.1:{free_port()}")
    message = queue(remote.partner)
    before = timezone.now()
    summary = delivery.deliver_due()
    after = timezone.now()
    assert (summary.delivered, summary.failed) == (0, 1)
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 1
    assert message.last_error == "unreachable (ConnectionRefusedError)"
    assert message.body == BODY  # still sealed in the outbox, still to be delivered
    delay = datetime.timedelta(seconds=settings.OKOA_EXCHANGE_RETRY_BASE_SECONDS)
    assert message.next_attempt_at is not None
    assert before + delay <= message.next_attempt_at <= after + delay
    # Not due yet: a pass leaves it alone.
    assert delivery.deliver_due().failed == 0
    make_due(message)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.attempts == 2


def test_the_delay_doubles_up_to_six_hours(settings):
    settings.OKOA_EXCHANGE_RETRY_BASE_SECONDS = 60
    delays = [delivery._delay_after(attempt).total_seconds() for attempt in range(1, 13)]
    assert delays[:5] == [60, 120, 240, 480, 960]
    assert delays[-1] == 6 * 60 * 60
    assert delays == sorted(delays)


def test_refusals_errors_and_unverified_acknowledgements_are_failures(partner_server, remote):
    partner_server.answers = [503, 403, "forged-ack", "redirect"]
    message = queue(remote.partner)
    errors = []
    for _attempt in range(4):
        make_due(message)
        delivery.deliver_due()
        message.refresh_from_db()
        assert message.status == "failed"
        errors.append(message.last_error)
    assert errors == ["HTTP 503", "HTTP 403", "unverified acknowledgement", "HTTP 302"]
    make_due(message)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 5
    # Every attempt carried the same message id, sealed anew each time.
    assert {header.message_id for header, _body in partner_server.received} == {message.message_id}
    assert len({header.ephemeral_key for header, _body in partner_server.received}) == 5


def test_delivery_is_given_up_after_the_last_attempt_and_can_be_queued_again(
    partner_server, remote
):
    partner_server.answers = [503]
    message = queue(remote.partner)
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=OutboundMessage.MAX_ATTEMPTS - 1)
    delivery.deliver_due()
    message.refresh_from_db()
    assert message.status == "given_up" and message.next_attempt_at is None
    assert message.body == BODY
    assert delivery.deliver_due().delivered == 0
    assert actions.retry_given_up() == 1
    assert delivery.deliver_due().delivered == 1


def test_an_inactive_partner_gets_nothing_and_its_messages_wait(partner_server, remote):
    message = queue(remote.partner)
    actions.set_partner_active(remote.partner, active=False, by=None)
    assert delivery.deliver_due().delivered == 0
    assert partner_server.received == []
    actions.set_partner_active(remote.partner, active=True, by=None)
    assert delivery.deliver_due().delivered == 1
    message.refresh_from_db()
    assert message.status == "delivered"


def test_a_message_held_by_a_sender_is_not_sent_by_another(partner_server, remote):
    message = queue(remote.partner)
    assert delivery.claim(message.pk)
    assert delivery.deliver(message.pk) is None
    assert partner_server.received == []


def test_the_message_leaves_right_after_its_transaction_commits(
    partner_server, remote, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(remote.partner)
        assert partner_server.received == []
    message.refresh_from_db()
    assert message.status == "delivered"


def test_the_body_is_sealed_in_the_outbox_and_never_in_errors_or_logs(remote, caplog):
    caplog.set_level(logging.DEBUG)
    Partner.objects.filter(pk=remote.partner.pk).update(base_url=f"http://127.0.0.1:{free_port()}")
    message = queue(remote.partner)
    delivery.deliver_due()
    with connection.cursor() as cursor:
        cursor.execute("SELECT body, last_error FROM exchange_outboundmessage")
        raw = " ".join(str(value) for value in cursor.fetchone())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for word in ("Wanjiru", "Kamau"):
        assert word not in raw and word not in logged
    assert str(message.message_id) in logged


@pytest.mark.parametrize("kind", ["Referral", "referrals", "referrals.", "x" * 30 + "." + "y" * 40])
def test_a_kind_that_is_not_one_is_refused_before_queueing(remote, kind):
    with pytest.raises(ValueError):
        actions.send_to_partner(remote.partner, kind=kind, body={})
    assert not OutboundMessage.objects.exists()


def test_a_partner_key_that_does_not_parse_is_a_failure_not_a_crash(remote):
    Partner.objects.filter(pk=remote.partner.pk).update(encryption_key="broken")
    message = queue(remote.partner)
    assert delivery.deliver_due().failed == 1
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("failed", "not sealed (ValueError)")
