"""Partners deliver to ``POST /api/exchange/inbox``, an operation of the HTTP API without a token;
the old address ``/exchange/inbox/`` answers exactly alike for partners not yet upgraded."""

from __future__ import annotations

import pytest
from django.test import Client

from okoa.exchange import actions, delivery
from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.exchange.tests.conftest import INBOX_PATH, INBOX_PATHS, TEST_KIND

OLD_PATH = "/exchange/inbox/"


def test_partners_are_delivered_to_at_the_api_address(partner_server, remote):
    assert remote.partner.inbox_url == partner_server.url + INBOX_PATH
    actions.send_to_partner(remote.partner, kind=TEST_KIND, body={"note": "hello"})
    assert delivery.deliver_due().delivered == 1
    assert partner_server.paths == [INBOX_PATH]


def test_both_addresses_share_one_inbox(remote, recorder):
    sealed = remote.seal(body={"note": "hello"})
    first = Client().post(INBOX_PATH, sealed.to_json(), content_type="application/json")
    again = Client().post(OLD_PATH, sealed.to_json(), content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert remote.acknowledged(first, sealed.header.message_id)
    assert again.json() == first.json()
    assert len(recorder.calls) == 1
    assert InboundMessage.objects.get().duplicates == 1


@pytest.mark.parametrize("path", INBOX_PATHS)
def test_a_signed_envelope_needs_no_api_token_and_no_csrf_token(remote, recorder, path):
    sealed = remote.seal()
    response = Client(enforce_csrf_checks=True).post(
        path,
        sealed.to_json(),
        content_type="application/json",
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 200
    assert remote.acknowledged(response, sealed.header.message_id)
    assert len(recorder.calls) == 1


@pytest.mark.parametrize("path", INBOX_PATHS)
def test_answers_are_never_cached(remote, recorder, path):
    accepted = Client().post(path, remote.seal().to_json(), content_type="application/json")
    refused = Client().post(path, b"{}", content_type="application/json")
    for response in (accepted, refused):
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", INBOX_PATHS)
@pytest.mark.parametrize(
    "data", [b"{not json", b"[]", b'{"format": "okoa-exchange-1"}'], ids=["json", "list", "fields"]
)
def test_a_body_that_is_not_an_envelope_is_a_400_json_refusal(remote, recorder, path, data):
    response = Client().post(path, data, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "rejected"}
    refusal = RefusedMessage.objects.get()
    assert (refusal.reason, refusal.address) == ("malformed", "127.0.0.1")
    assert recorder.calls == []


@pytest.mark.parametrize("path", INBOX_PATHS)
def test_a_refusal_records_the_client_address(remote, recorder, path):
    sealed = remote.seal(recipient="another-installation")
    response = Client().post(path, sealed.to_json(), content_type="application/json")
    assert (response.status_code, response.json()) == (
        403,
        {"status": "rejected", "reason": "wrong_recipient"},
    )
    refusal = RefusedMessage.objects.get()
    assert (refusal.reason, refusal.partner, refusal.address) == (
        "wrong_recipient",
        remote.partner,
        "127.0.0.1",
    )


@pytest.mark.parametrize("path", INBOX_PATHS)
def test_only_post_is_allowed(remote, path):
    for method in ("get", "put", "delete"):
        assert getattr(Client(), method)(path).status_code == 405
    assert not RefusedMessage.objects.exists()
