"""``send`` queues a message from a local organisation to a partner's, inside the caller's
transaction; anything else is refused with a ValueError and queues nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from okoa.exchange import actions, delivery
from okoa.exchange.actions import send
from okoa.exchange.models import OutboundMessage, RemoteOrganisation
from okoa.exchange.tests.conftest import TEST_KIND

DESK = {"code": "pwaniDesk000002", "name": "Kilifi Counter-Trafficking Desk", "kind": "police"}
BODY = {"shared": {"given_name": "Akinyi", "needs": "Shelter in Kilifi"}}


@pytest.fixture
def desk(remote):
    sealed = remote.seal(kind="exchange.organisations", body={"organisations": [DESK]})
    assert remote.post(sealed).status_code == 200
    return RemoteOrganisation.objects.get(remote_code=DESK["code"]).organisation


def test_a_message_to_a_stand_in_is_queued_for_its_partner(cast, remote, desk, partner_server):
    message = send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
    assert (
        message.partner,
        message.status,
        message.from_organisation,
        message.to_organisation,
    ) == (
        remote.partner,
        "queued",
        cast.ngo,
        desk,
    )
    delivery.deliver_due()
    [(header, body)] = partner_server.received
    # The partner reads its own organisation's code and ours.
    assert (header.from_organisation, header.to_organisation) == (cast.ngo.code, DESK["code"])
    assert body == BODY


def test_a_local_recipient_is_refused(cast, remote, desk):
    with pytest.raises(ValueError, match="not an organisation of a partner"):
        send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=cast.partner)
    assert not OutboundMessage.objects.exists()


def test_a_stand_in_cannot_send(cast, remote, desk):
    with pytest.raises(ValueError, match="organisation of this installation"):
        send(kind=TEST_KIND, body=BODY, from_organisation=desk, to_organisation=desk)
    assert not OutboundMessage.objects.exists()


def test_nothing_goes_to_an_inactive_partner_or_organisation(cast, remote, desk):
    actions.set_partner_active(remote.partner, active=False, by=None)
    with pytest.raises(ValueError, match="not active"):
        send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
    actions.set_partner_active(remote.partner, active=True, by=None)
    remote.post(remote.seal(kind="exchange.organisations", body={"organisations": []}))
    with pytest.raises(ValueError, match="not active"):
        send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
    assert not OutboundMessage.objects.exists()


def test_a_body_that_cannot_travel_is_refused(cast, remote, desk):
    with pytest.raises(ValueError):
        send(
            kind=TEST_KIND,
            body={"when": object()},
            from_organisation=cast.ngo,
            to_organisation=desk,
        )
    assert not OutboundMessage.objects.exists()


def test_a_message_exists_only_if_the_callers_transaction_commits(cast, remote, desk):
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
        raise Abandoned
    assert not OutboundMessage.objects.exists()


def test_the_queued_body_is_encrypted_at_rest(cast, remote, desk):
    send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM exchange_outboundmessage")
        [raw] = cursor.fetchone()
    assert raw.startswith("okoa1:") and "Akinyi" not in raw and "Kilifi" not in raw
