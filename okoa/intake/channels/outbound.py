"""Queue and send outbound SMS: the acknowledgement of a report, with reference and PIN.

Contract:

* ``queue_acknowledgement`` runs inside the transaction that saves the report: the queued SMS
  exists exactly when the report does, and it is handed to the gateway only once that
  transaction has committed (``transaction.on_commit``), by a small pool of sender threads of
  the process (``OKOA_SMS_SEND_IN_BACKGROUND``), so that the sender of the report never waits
  for the gateway (Africa's Talking's API takes a few hundred milliseconds from Kenya: in a
  surge, web workers waiting for it would stop taking reports). A report whose transaction
  fails is never acknowledged; an SMS a stopped process did not send stays queued for the
  command.
* An acknowledgement says reference and PIN, in the reporter's language, and nothing else: no
  name, no place, nothing of what was reported (phones are shared, read and taken away).
* ``send_outbound_sms`` sends one queued SMS at most once at a time (the row is claimed first);
  failures are tried again by ``send_due_sms`` (``manage.py send_queued_sms``) with a growing
  delay, up to ``OutboundSms.MAX_ATTEMPTS``; permanent failures (an invalid number) are not.
  Delivery is at least once: a process that dies after the gateway accepted the SMS and before
  it was marked sent sends it again.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from okoa.intake.actions import ReceivedReport, with_database_retry
from okoa.intake.channels.gateway import Gateway, GatewayError, get_gateway, sms_enabled
from okoa.intake.channels.models import OutboundSms
from okoa.lib import rows
from okoa.lib.background import Senders

logger = logging.getLogger(__name__)

# How long a sender holds a row it claimed before another may take it over.
SENDING_LEASE = datetime.timedelta(minutes=5)
MAX_DELAY = datetime.timedelta(hours=6)
# Due once ``next_attempt_at`` has passed: waiting, failed and due again, or held by a sender
# whose lease ran out. A failed SMS without ``next_attempt_at`` was given up.
DUE_STATUSES = (OutboundSms.Status.QUEUED, OutboundSms.Status.FAILED, OutboundSms.Status.SENDING)


def acknowledgement_text(reference: str, pin: str, language: str) -> str:
    """The acknowledgement SMS (at most 160 characters): reference and PIN only."""
    with translation.override(language or "en"):
        return _(
            "Okoa: we received your report. Reference %(reference)s, PIN %(pin)s. Keep them to "
            "follow it up. If your phone is not safe, delete this SMS."
        ) % {"reference": reference, "pin": pin}


def queue_acknowledgement(
    received: ReceivedReport, *, to: str, language: str
) -> OutboundSms | None:
    """Queue the acknowledgement of a report created just now; send it once committed.

    Must run inside the transaction that saved the report. Nothing is queued for a report that
    was already there (a delivery repeated), or when no SMS gateway is configured.
    """
    if not received.created or received.pin is None or not to or not sms_enabled():
        return None
    report = received.report
    # Created already claimed by the sender after commit (its first attempt, under a lease):
    # one write less per report than queueing and claiming. Should that sender die, the
    # command takes the SMS over once the lease has run out.
    sms = OutboundSms(
        report=report,
        purpose=OutboundSms.Purpose.ACKNOWLEDGEMENT,
        to=to,
        message=acknowledgement_text(report.reference, received.pin, language),
        language=language,
        status=OutboundSms.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + SENDING_LEASE,
    )
    rows.insert([sms])  # one plain statement: this runs inside the write lock, for every SMS
    transaction.on_commit(partial(hand_over, sms))
    return sms


senders = Senders("okoa-sms", lambda: settings.OKOA_SMS_SENDER_THREADS)


def hand_over(sms: OutboundSms) -> None:
    """Send a committed SMS: in a sender thread, or right now if background sending is off."""
    if not settings.OKOA_SMS_SEND_IN_BACKGROUND:
        send_after_commit(sms)
        return
    senders.submit(send_after_commit, sms)


def send_after_commit(sms: OutboundSms) -> None:
    """Send an SMS created claimed, right after its transaction committed; never raise.

    The report is already committed: whatever goes wrong here must not turn the answer to the
    sender into an error. The SMS stays claimed until its lease runs out, then
    ``send_queued_sms`` takes it over. Its outcome is written with those of the other sender
    threads (``outcomes``).
    """
    try:
        send_outbound_sms(sms.pk, claimed=sms, record=outcomes.add)
    except Exception:
        logger.exception("Outbound SMS %s could not be sent now; it stays queued.", sms.code)


class Outcomes:
    """The outcomes of sends, written in one transaction for all that finished meanwhile.

    A sender thread adds its outcome, then writes every outcome waiting, unless another thread
    is writing already: that one writes it next (it looks again once it has finished). While one
    commit waits for the database's write lock and the sync of its log, the outcomes of the
    other threads gather, so that in a surge the acknowledgements cost one write transaction
    for many instead of one each: on SQLite every write transaction holds the one write lock
    that the reports wait for.
    """

    def __init__(self) -> None:
        self._waiting: list[tuple[int, dict[str, object]]] = []
        self._guard = threading.Lock()
        self._writer = threading.Lock()

    def add(self, pk: int, changes: dict[str, object]) -> None:
        with self._guard:
            self._waiting.append((pk, changes))
        while self._writer.acquire(blocking=False):
            try:
                with self._guard:
                    batch, self._waiting = self._waiting, []
                if batch:
                    self._write(batch)
            finally:
                self._writer.release()
            with self._guard:
                if not self._waiting:
                    return

    @staticmethod
    def _write(batch: list[tuple[int, dict[str, object]]]) -> None:
        def write() -> None:
            with transaction.atomic():
                for pk, changes in batch:
                    OutboundSms.objects.filter(pk=pk).update(**changes)

        try:
            with_database_retry(write)
        except Exception:
            # They stay claimed: once their lease has run out the command sends them again.
            logger.exception("The outcome of %d sent SMS could not be recorded.", len(batch))


outcomes = Outcomes()


def _delay_after(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def send_outbound_sms(
    pk: int,
    *,
    gateway: Gateway | None = None,
    claimed: OutboundSms | None = None,
    record: Callable[[int, dict[str, object]], None] | None = None,
) -> str | None:
    """Send one due SMS through the gateway; return its new status, or None if not due.

    The row is claimed with one conditional UPDATE (status ``sending``, a lease) so that the
    sender after commit and ``send_queued_sms`` never send the same SMS at the same time;
    ``claimed`` is the SMS when the caller holds it already (it was created claimed). The
    outcome is written at once, or handed to ``record`` (``Outcomes.add``).
    """
    now = timezone.now()
    taken = claimed is not None or with_database_retry(
        lambda: OutboundSms.objects.filter(
            pk=pk,
            status__in=DUE_STATUSES,
            next_attempt_at__lte=now,
            attempts__lt=OutboundSms.MAX_ATTEMPTS,
        ).update(
            status=OutboundSms.Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + SENDING_LEASE,
        )
    )
    if not taken:
        return None
    sms = claimed or OutboundSms.objects.get(pk=pk)
    gateway = gateway or get_gateway()
    try:
        results = gateway.send([sms.to], sms.message)
        result = results[0] if results else None
    except GatewayError as error:
        result, problem = None, str(error)
    else:
        problem = "no answer for the number" if result is None else result.status
    changes: dict[str, object]
    if result is not None and result.accepted:
        changes = {
            "status": OutboundSms.Status.SENT,
            "sent_at": timezone.now(),
            "next_attempt_at": None,
            "gateway_message_id": result.message_id,
            "last_error": "",
        }
    else:
        permanent = result is not None and result.permanent_failure
        gives_up = permanent or sms.attempts >= OutboundSms.MAX_ATTEMPTS
        changes = {
            "status": OutboundSms.Status.FAILED,
            "next_attempt_at": None if gives_up else timezone.now() + _delay_after(sms.attempts),
            "last_error": problem[:200],
        }
        # The SMS code and the gateway's status only: never the number or the text.
        logger.warning(
            "SMS %s was not sent (attempt %d): %s.%s",
            sms.code,
            sms.attempts,
            problem,
            " Giving up." if gives_up else "",
        )
    if record is not None:
        record(pk, changes)
    else:
        with_database_retry(lambda: OutboundSms.objects.filter(pk=pk).update(**changes))
    return str(changes["status"])


@dataclass
class SendSummary:
    sent: int = 0
    failed: int = 0


def due_sms() -> list[int]:
    """The ids of SMS waiting to be sent or tried again, oldest first."""
    return list(
        OutboundSms.objects.filter(
            status__in=DUE_STATUSES,
            next_attempt_at__lte=timezone.now(),
            attempts__lt=OutboundSms.MAX_ATTEMPTS,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:1000]
    )


def send_due_sms(*, gateway: Gateway | None = None) -> SendSummary:
    """Send every SMS that is due (queued, failed and due again, or abandoned by a sender)."""
    summary = SendSummary()
    gateway = gateway or get_gateway()
    for pk in due_sms():
        status = send_outbound_sms(pk, gateway=gateway)
        if status == OutboundSms.Status.SENT:
            summary.sent += 1
        elif status is not None:
            summary.failed += 1
    return summary
