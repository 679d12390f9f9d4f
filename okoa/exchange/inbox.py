"""Receiving a message from a partner: check it, process it once, acknowledge it.

Contract, in the order of the checks (each refusal is recorded as a ``RefusedMessage`` and
logged without any content, and changes nothing else):

1. The request is an envelope (400 ``malformed``).
2. Its sender is a registered, active partner (403, no reason given to an unknown sender).
3. The partner's key verifies the signature over the header and the ciphertext (403): a forged
   or tampered message stops here.
4. It is addressed to this installation (403 ``wrong_recipient``).
5. A message id already processed from this partner is answered with the same signed
   acknowledgement, and not processed again (a lost acknowledgement, a replay). Checked before
   the clock, so that a sender whose acknowledgement was lost still learns that it arrived. The
   same id for a different message is refused (409 ``conflict``).
6. It was sent within ``OKOA_EXCHANGE_MAX_SKEW_SECONDS`` of this installation's clock (403
   ``stale``): a recorded message cannot be played back later.
7. The body decrypts with this installation's key (422 ``undecryptable``); the kind has a
   handler here (422 ``unknown_kind``); the organisations are known: the sender's stand-in and
   an active local organisation (422 ``unknown_organisation``).
8. The message is recorded and its handler runs in one transaction. The handler's
   ValidationError refuses it (422 ``invalid_body``); any other failure rolls everything back
   and answers 503, so that the sender tries again.

Every refusal but 503 is final for that attempt; the sender keeps retrying with a growing delay
(a partner registered late, a clock put right), so what a sender queued is not lost.

``answer`` is the HTTP side of this, shared by the API operation ``POST /api/exchange/inbox``
and its alias ``/exchange/inbox/`` (kept for partners not yet upgraded), so both answer alike.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from okoa.accounts.models import Organisation
from okoa.audit.actions import client_address
from okoa.exchange import envelope
from okoa.exchange.actions import record_refusal
from okoa.exchange.envelope import MAX_ENVELOPE_BYTES, EnvelopeError
from okoa.exchange.handlers import RetryLater, handler_for
from okoa.exchange.identity import (
    ExchangeNotConfigured,
    Identity,
    signing_public_key,
    this_installation,
)
from okoa.exchange.models import InboundMessage, Partner, RefusedMessage, RemoteOrganisation

logger = logging.getLogger(__name__)

Reason = RefusedMessage.Reason
STATUS_OF = {
    Reason.MALFORMED: 400,
    Reason.UNKNOWN_PARTNER: 403,
    Reason.INACTIVE_PARTNER: 403,
    Reason.BAD_SIGNATURE: 403,
    Reason.WRONG_RECIPIENT: 403,
    Reason.STALE: 403,
    Reason.CONFLICT: 409,
    Reason.UNDECRYPTABLE: 422,
    Reason.UNKNOWN_KIND: 422,
    Reason.UNKNOWN_ORGANISATION: 422,
    Reason.INVALID_BODY: 422,
}
# Said only to a sender whose signature verified; an unknown or forged sender learns nothing.
UNAUTHENTICATED = {Reason.MALFORMED, Reason.UNKNOWN_PARTNER, Reason.INACTIVE_PARTNER}


@dataclass(frozen=True)
class Reply:
    """The HTTP answer to a posted envelope."""

    status: int
    body: dict[str, Any]


class _Refused(Exception):
    def __init__(self, reason: Reason, partner: Partner | None = None) -> None:
        super().__init__(reason)
        self.reason, self.partner = reason, partner


def answer(request: HttpRequest) -> HttpResponse:
    """Answer a partner's POST of one envelope: a signed acknowledgement or a refusal.

    No account and no CSRF token: the envelope's signature is the authentication. The answer is
    never cached. Without an exchange identity here, every envelope gets 404.
    """
    try:
        reply = receive(_posted_envelope(request), address=client_address(request))
    except ExchangeNotConfigured:
        reply = Reply(404, {"status": "rejected"})
    response = JsonResponse(reply.body, status=reply.status)
    add_never_cache_headers(response)
    return response


def _posted_envelope(request: HttpRequest) -> bytes:
    # Anything but JSON of a sane size is read as an empty (malformed) envelope, unread.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return b""
    if request.content_type != "application/json" or length > MAX_ENVELOPE_BYTES:
        return b""
    return request.body


def receive(data: bytes, *, address: str | None) -> Reply:
    """Check and process one posted envelope (see the module docstring)."""
    me = this_installation()  # ExchangeNotConfigured: there is no exchange here to refuse from
    sealed: envelope.Envelope | None = None
    try:
        try:
            sealed = envelope.read(data)
        except EnvelopeError as error:
            raise _Refused(Reason.MALFORMED) from error
        return _receive(sealed, me)
    except _Refused as refusal:
        header = sealed.header if sealed is not None else None
        record_refusal(
            refusal.reason,
            partner=refusal.partner,
            claimed_sender=header.sender if header else "",
            message_id=header.message_id if header else None,
            kind=header.kind if header else "",
            address=address,
        )
        body: dict[str, Any] = {"status": "rejected"}
        if refusal.reason not in UNAUTHENTICATED and refusal.reason != Reason.BAD_SIGNATURE:
            body["reason"] = refusal.reason.value
        return Reply(STATUS_OF[refusal.reason], body)


def _receive(sealed: envelope.Envelope, me: Identity) -> Reply:
    header = sealed.header
    partner = Partner.objects.filter(installation_id=header.sender).first()
    if partner is None:
        raise _Refused(Reason.UNKNOWN_PARTNER)
    if not partner.is_active:
        raise _Refused(Reason.INACTIVE_PARTNER, partner)
    try:
        envelope.verify(sealed, signing_public_key(partner.signing_key))
    except EnvelopeError as error:
        raise _Refused(Reason.BAD_SIGNATURE, partner) from error
    if header.recipient != me.installation_id:
        raise _Refused(Reason.WRONG_RECIPIENT, partner)
    seen = InboundMessage.objects.filter(partner=partner, message_id=header.message_id).first()
    if seen is not None:
        return _answer_again(seen, header, partner, me)
    skew = abs((timezone.now() - header.sent_at).total_seconds())
    if skew > settings.OKOA_EXCHANGE_MAX_SKEW_SECONDS:
        raise _Refused(Reason.STALE, partner)
    try:
        body = envelope.open_body(sealed, me.encryption_key)
    except EnvelopeError as error:
        raise _Refused(Reason(error.reason), partner) from error
    handler = handler_for(header.kind)
    if handler is None:
        raise _Refused(Reason.UNKNOWN_KIND, partner)
    from_organisation, to_organisation = _organisations(partner, header)
    try:
        with transaction.atomic():
            now = timezone.now()
            InboundMessage.objects.create(
                partner=partner,
                message_id=header.message_id,
                kind=header.kind,
                from_organisation=from_organisation,
                to_organisation=to_organisation,
                in_reply_to=header.in_reply_to,
                created_at=header.created_at,
                received_at=now,
                processed_at=now,
            )
            handler(
                partner=partner,
                from_organisation=from_organisation,
                to_organisation=to_organisation,
                body=body,
                message_id=header.message_id,
                in_reply_to=header.in_reply_to,
            )
    except ValidationError as error:
        raise _Refused(Reason.INVALID_BODY, partner) from error
    except IntegrityError:
        # The same message, posted twice at once: the other request recorded it first.
        seen = InboundMessage.objects.filter(partner=partner, message_id=header.message_id).first()
        if seen is not None:
            return _answer_again(seen, header, partner, me)
        return _retry_later(header)
    except RetryLater:
        # Expected: messages may arrive out of order. Nothing was kept.
        logger.info(
            "Exchange message %s (%s) from partner %s waits for an earlier message; the sender "
            "will try again.",
            header.message_id,
            header.kind,
            partner.code,
        )
        return _retry_later(header)
    except Exception as error:
        # The type only: a handler's exception may quote the body. Nothing was kept.
        logger.error(
            "Exchange message %s (%s) from partner %s failed in its handler (%s); the sender "
            "will try again.",
            header.message_id,
            header.kind,
            partner.code,
            type(error).__name__,
        )
        return _retry_later(header)
    logger.info(
        "Exchange message %s (%s) from partner %s processed.",
        header.message_id,
        header.kind,
        partner.code,
    )
    return _accepted(header.message_id, partner, me)


def _organisations(
    partner: Partner, header: envelope.Header
) -> tuple[Organisation | None, Organisation | None]:
    if not header.from_organisation:
        return None, None
    remote = (
        RemoteOrganisation.objects.select_related("organisation")
        .filter(partner=partner, remote_code=header.from_organisation)
        .first()
    )
    local = Organisation.objects.filter(
        code=header.to_organisation, is_active=True, exchange_remote__isnull=True
    ).first()
    if remote is None or local is None:
        raise _Refused(Reason.UNKNOWN_ORGANISATION, partner)
    return remote.organisation, local


def _answer_again(
    seen: InboundMessage, header: envelope.Header, partner: Partner, me: Identity
) -> Reply:
    same_organisations = (
        seen.from_organisation.exchange_remote.remote_code if seen.from_organisation else ""
    ) == header.from_organisation and (
        seen.to_organisation.code if seen.to_organisation else ""
    ) == header.to_organisation
    if seen.kind != header.kind or seen.in_reply_to != header.in_reply_to or not same_organisations:
        raise _Refused(Reason.CONFLICT, partner)
    InboundMessage.objects.filter(pk=seen.pk).update(
        duplicates=F("duplicates") + 1, last_duplicate_at=timezone.now()
    )
    logger.info(
        "Exchange message %s from partner %s arrived again: acknowledged, not processed.",
        header.message_id,
        partner.code,
    )
    return _accepted(header.message_id, partner, me)


def _accepted(message_id: uuid.UUID, partner: Partner, me: Identity) -> Reply:
    return Reply(
        200,
        envelope.acknowledgement(
            message_id,
            sender=partner.installation_id,
            recipient=me.installation_id,
            signing_key=me.signing_key,
        ),
    )


def _retry_later(header: envelope.Header) -> Reply:
    return Reply(503, {"status": "error", "message_id": str(header.message_id), "retry": True})
