"""The exchange inbox: partner installations deliver their signed, encrypted messages here.

The only operation without an API token: the envelope's Ed25519 signature, checked against the
partner's registered key, is the authentication (docs/exchange.md). It answers exactly like the
old address ``/exchange/inbox/``: both call ``okoa.exchange.inbox.answer`` with the raw request,
so the receiver checks the bytes that were signed, records every refusal, and a body that is not
an envelope gets the inbox's own 400 rather than a schema error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from okoa.api.schemas import EXCHANGE_ANSWERS, ExchangeEnvelopeIn
from okoa.exchange import inbox

router = Router(tags=["exchange"])

ENVELOPE_SCHEMA = ExchangeEnvelopeIn.model_json_schema()


@router.post(
    "/inbox",
    auth=None,
    response=EXCHANGE_ANSWERS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ENVELOPE_SCHEMA}},
        }
    },
)
def receive_exchange_message(request: HttpRequest) -> HttpResponse:
    """Deliver one message from a partner installation (no API token: the envelope is signed).

    200: the signed acknowledgement (also for a message already received: it is not processed
    again). 400: not an envelope. 403: unknown or inactive sender, bad signature, another
    recipient, sent too long ago. 404: this installation has no exchange. 409: the message id
    was used for another message. 422: the body cannot be used. 503: try again later.
    """
    return inbox.answer(request)
