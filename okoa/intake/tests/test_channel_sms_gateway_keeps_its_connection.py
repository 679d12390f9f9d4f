"""Acknowledgements go to Africa's Talking over one kept connection per sender thread.

Over HTTPS a new connection per SMS costs a TLS handshake and round trips to the gateway for
every acknowledgement of a surge. A kept connection that the gateway closed while idle fails
before any answer; the message then goes once more on a new connection, and only once.
"""

from __future__ import annotations

import pytest

from okoa.intake.channels.gateway import GatewayError, get_gateway

from .channels import africastalking  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_several_messages_share_one_connection(africastalking):  # noqa: F811
    africastalking.connections = "keep"
    gateway = get_gateway()
    for number in ("+254700000001", "+254700000002", "+254700000003"):
        [result] = gateway.send([number], "Okoa: reference TUM-R-2026-000001")
        assert result.accepted
    assert africastalking.opened == 1
    assert len(africastalking.requests) == 3


def test_a_connection_the_gateway_closed_is_replaced_and_the_message_sent_once(
    africastalking,  # noqa: F811
):
    africastalking.connections = "drop"
    gateway = get_gateway()
    for number in ("+254700000001", "+254700000002"):
        [result] = gateway.send([number], "Okoa: reference TUM-R-2026-000001")
        assert result.accepted
    assert [request["form"]["to"] for request in africastalking.requests] == [
        ["+254700000001"],
        ["+254700000002"],
    ]
    assert africastalking.opened == 2


def test_a_gateway_that_answers_with_an_error_is_a_gateway_error(africastalking):  # noqa: F811
    africastalking.connections = "keep"
    africastalking.mode = "http_error"
    with pytest.raises(GatewayError, match="HTTP 500"):
        get_gateway().send(["+254700000001"], "Okoa")


def test_an_unreachable_gateway_is_a_gateway_error(settings):
    settings.OKOA_SMS_GATEWAY = "africastalking"
    settings.OKOA_SMS_API_URL = "http://127.0.0.1:9"  # discard: nobody listens
    settings.OKOA_SMS_USERNAME = "okoa-test"
    settings.OKOA_SMS_API_KEY = "k" * 32
    with pytest.raises(GatewayError, match="unreachable"):
        get_gateway().send(["+254700000001"], "Okoa")
