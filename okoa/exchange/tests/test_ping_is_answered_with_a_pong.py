"""A ping is answered with a pong the way it came; the pong is recorded against the ping."""

from __future__ import annotations

import uuid

import pytest

from okoa.exchange import actions, delivery
from okoa.exchange.models import InboundMessage, OutboundMessage, RemoteOrganisation

DESK = {"code": "pwaniDesk000002", "name": "Kilifi Counter-Trafficking Desk", "kind": "police"}


def test_a_ping_between_installations_is_answered(remote):
    ping = remote.seal(kind="exchange.ping", body={})
    assert remote.post(ping).status_code == 200
    pong = OutboundMessage.objects.get(kind="exchange.pong")
    assert (pong.partner, pong.in_reply_to) == (remote.partner, ping.header.message_id)
    assert pong.from_organisation is None and pong.to_organisation is None


def test_a_ping_between_organisations_is_answered_in_the_other_direction(remote, cast):
    remote.post(remote.seal(kind="exchange.organisations", body={"organisations": [DESK]}))
    desk = RemoteOrganisation.objects.get(remote_code=DESK["code"]).organisation
    ping = remote.seal(
        kind="exchange.ping", body={}, from_organisation=DESK["code"], to_organisation=cast.ngo.code
    )
    assert remote.post(ping).status_code == 200
    inbound = InboundMessage.objects.get(kind="exchange.ping")
    assert (inbound.from_organisation, inbound.to_organisation) == (desk, cast.ngo)
    pong = OutboundMessage.objects.get(kind="exchange.pong")
    assert (pong.from_organisation, pong.to_organisation) == (cast.ngo, desk)


def test_a_pong_marks_our_ping_answered(remote, partner_server):
    ping = actions.ping(remote.partner)
    delivery.deliver_due()
    pong = remote.seal(kind="exchange.pong", body={}, in_reply_to=ping.message_id)
    assert remote.post(pong).status_code == 200
    ping.refresh_from_db()
    remote.partner.refresh_from_db()
    assert ping.answered_at is not None
    assert remote.partner.last_pong_at == ping.answered_at


@pytest.mark.parametrize("in_reply_to", [None, uuid.uuid4()])
def test_a_pong_that_answers_no_ping_is_refused(remote, in_reply_to):
    response = remote.post(remote.seal(kind="exchange.pong", body={}, in_reply_to=in_reply_to))
    assert response.status_code == 422
    remote.partner.refresh_from_db()
    assert remote.partner.last_pong_at is None
