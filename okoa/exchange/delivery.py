"""Delivering the outbox: seal each message for its partner, post it, and keep it until the
partner's signed acknowledgement says it arrived.

Contract:

* A message is handed to a sender thread once the transaction that queued it has committed
  (``OKOA_EXCHANGE_SEND_IN_BACKGROUND``; else at once, in the committing thread), and
  ``manage.py deliver_exchange_messages`` delivers whatever is due: queued, failed and due
  again, or held by a sender that died (its lease ran out).
* One sender at a time holds a message: it is claimed with one conditional UPDATE (status
  ``sending`` and a lease longer than the HTTP timeout).
* Each attempt seals the message again (a new ``sent_at``, ephemeral key and nonce) under the
  same message id. The receiver processes an id once, so a message is processed exactly once
  however often it is posted; it is marked delivered only on the receiver's acknowledgement,
  signed with the key on the partner's card. Anything else (refused, unreachable, a timeout, an
  answer that does not verify) is a failure, tried again after 1, 2, 4... times
  ``OKOA_EXCHANGE_RETRY_BASE_SECONDS`` (at most six hours apart) until
  ``OutboundMessage.MAX_ATTEMPTS``; then it is given up, kept, and shown to site administrators.
* HTTP is the standard library's, with a timeout, TLS certificates verified and redirects
  refused (a redirected POST would turn into a GET somewhere else). Errors and logs name the
  message id, the status and the reason: never the body.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone

from okoa.exchange import envelope
from okoa.exchange.identity import encryption_public_key, signing_public_key, this_installation
from okoa.exchange.models import OutboundMessage
from okoa.lib.background import Senders

logger = logging.getLogger(__name__)

# Longer than any HTTP attempt: a sender holding a message keeps it until it is done.
SENDING_LEASE = datetime.timedelta(minutes=5)
MAX_DELAY = datetime.timedelta(hours=6)
DUE_STATUSES = (
    OutboundMessage.Status.QUEUED,
    OutboundMessage.Status.FAILED,
    OutboundMessage.Status.SENDING,
)
MAX_ANSWER_BYTES = 64 * 1024


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass(frozen=True)
class Answer:
    """What the partner answered: an HTTP status (0: no answer) and its JSON, if any."""

    status: int
    body: Any = None
    problem: str = ""


def post(url: str, data: bytes) -> Answer:
    """POST an envelope; never raises for network or HTTP errors (they are an Answer)."""
    request = urllib.request.Request(  # noqa: S310 (partner addresses are http(s) only)
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with _opener.open(request, timeout=settings.OKOA_EXCHANGE_TIMEOUT_SECONDS) as response:
            status, raw = response.status, response.read(MAX_ANSWER_BYTES)
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read(MAX_ANSWER_BYTES)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(0, problem=f"unreachable ({type(reason).__name__})")
    try:
        body = json.loads(raw.decode("utf-8")) if raw else None
    except (ValueError, UnicodeDecodeError):
        body = None
    return Answer(status, body)


def _delay_after(attempts: int) -> datetime.timedelta:
    base = settings.OKOA_EXCHANGE_RETRY_BASE_SECONDS
    return min(datetime.timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _problem(answer: Answer) -> str:
    if answer.problem:
        return answer.problem
    reason = answer.body.get("reason") if isinstance(answer.body, dict) else None
    reason = reason if isinstance(reason, str) and reason.isidentifier() else ""
    return f"HTTP {answer.status}" + (f" ({reason[:40]})" if reason else "")


def claim(pk: int) -> bool:
    """Take a due message for this sender (attempts + 1, a lease); False if it is not due."""
    now = timezone.now()
    return bool(
        OutboundMessage.objects.filter(
            pk=pk,
            status__in=DUE_STATUSES,
            next_attempt_at__lte=now,
            attempts__lt=OutboundMessage.MAX_ATTEMPTS,
            partner__is_active=True,
        ).update(
            status=OutboundMessage.Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_LEASE,
        )
    )


def deliver(pk: int) -> str | None:
    """Deliver one due message; return its new status, or None if it was not due."""
    if not claim(pk):
        return None
    message = OutboundMessage.objects.select_related(
        "partner", "from_organisation", "to_organisation__exchange_remote"
    ).get(pk=pk)
    partner = message.partner
    me = this_installation()
    try:
        sealed = envelope.seal(
            message_id=message.message_id,
            kind=message.kind,
            sender=me.installation_id,
            recipient=partner.installation_id,
            created_at=message.created_at,
            sent_at=timezone.now(),
            from_organisation=message.from_organisation.code if message.from_organisation else "",
            to_organisation=(
                message.to_organisation.exchange_remote.remote_code
                if message.to_organisation
                else ""
            ),
            in_reply_to=message.in_reply_to,
            body=message.body or {},
            signing_key=me.signing_key,
            recipient_key=encryption_public_key(partner.encryption_key),
        )
        partner_key = signing_public_key(partner.signing_key)
    except ValueError as error:
        # A partner's key that does not parse, a body that no longer encodes: the type only.
        answer = Answer(0, problem=f"not sealed ({type(error).__name__})")
        acknowledged = False
    else:
        answer = post(partner.inbox_url, sealed.to_json())
        acknowledged = answer.status == 200 and envelope.check_acknowledgement(
            answer.body,
            message.message_id,
            sender=me.installation_id,
            recipient=partner.installation_id,
            key=partner_key,
        )
    if acknowledged:
        OutboundMessage.objects.filter(pk=pk).update(
            status=OutboundMessage.Status.DELIVERED,
            delivered_at=timezone.now(),
            next_attempt_at=None,
            last_error="",
            body=None,
        )
        logger.info("Exchange message %s (%s) delivered.", message.message_id, message.kind)
        return OutboundMessage.Status.DELIVERED
    problem = _problem(answer) if answer.status != 200 else "unverified acknowledgement"
    gives_up = message.attempts >= OutboundMessage.MAX_ATTEMPTS
    OutboundMessage.objects.filter(pk=pk).update(
        status=OutboundMessage.Status.GIVEN_UP if gives_up else OutboundMessage.Status.FAILED,
        next_attempt_at=None if gives_up else timezone.now() + _delay_after(message.attempts),
        last_error=problem[:200],
    )
    logger.warning(
        "Exchange message %s (%s) to partner %s not delivered (attempt %d): %s.%s",
        message.message_id,
        message.kind,
        partner.code,
        message.attempts,
        problem,
        " Given up." if gives_up else "",
    )
    return OutboundMessage.Status.GIVEN_UP if gives_up else OutboundMessage.Status.FAILED


@dataclass
class DeliverySummary:
    delivered: int = 0
    failed: int = 0


def due_messages() -> list[int]:
    """The ids of messages due for delivery, oldest first (a thousand at most per pass)."""
    return list(
        OutboundMessage.objects.filter(
            Q(status__in=DUE_STATUSES),
            next_attempt_at__lte=timezone.now(),
            attempts__lt=OutboundMessage.MAX_ATTEMPTS,
            partner__is_active=True,
        )
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:1000]
    )


def deliver_due() -> DeliverySummary:
    """Deliver every message that is due; a partner that fails is not tried again this pass."""
    summary = DeliverySummary()
    unreachable: set[int] = set()
    for pk, partner_id in OutboundMessage.objects.filter(pk__in=due_messages()).values_list(
        "pk", "partner_id"
    ):
        if partner_id in unreachable:
            continue
        try:
            status = deliver(pk)
        except DatabaseError as error:
            # A locked or unreachable database: the message stays due (or leased) for later.
            logger.error(
                "Exchange message %s: delivery interrupted (%s).", pk, type(error).__name__
            )
            status = OutboundMessage.Status.FAILED
        if status == OutboundMessage.Status.DELIVERED:
            summary.delivered += 1
        elif status is not None:
            summary.failed += 1
            unreachable.add(partner_id)
    return summary


senders = Senders("okoa-exchange", lambda: 2)


def hand_over(pk: int) -> None:
    """Deliver a committed message now: in a sender thread, or in this thread."""
    if not settings.OKOA_EXCHANGE_SEND_IN_BACKGROUND:
        deliver_after_commit(pk)
        return
    senders.submit(deliver_after_commit, pk)


def deliver_after_commit(pk: int) -> None:
    """Try a message right after it was committed; never raise (it stays queued)."""
    try:
        deliver(pk)
    except Exception as error:
        # The type only: an exception's message could quote what it was working on.
        logger.error(
            "Exchange message %s could not be delivered now (%s); it stays queued.",
            pk,
            type(error).__name__,
        )
