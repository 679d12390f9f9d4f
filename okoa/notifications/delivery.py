"""Queue and send notification emails and SMS to organisations' referral desks.

Contract:

* What leaves Okoa is the event's label, the reference and an absolute link
  (``OKOA_SITE_URL`` + the path), in the site's language: no name, no case detail, nothing
  the caller did not pass as a code. Office mailboxes are shared and phones are read by others.
* ``queue_email`` / ``queue_sms`` run inside the caller's transaction; the message is handed to
  the transport only once that transaction has committed (``transaction.on_commit``), by a
  sender thread of the process (``OKOA_NOTIFICATIONS_SEND_IN_BACKGROUND``), so that the person
  sending a referral never waits for a mail server or the SMS gateway. A rolled-back referral
  sends nothing.
* ``send_message`` sends one due message: the row is claimed first with one conditional UPDATE
  (status ``sending`` under a lease), so that two senders never send the same message at the
  same time and a sent message is never sent again. Failures are retried by ``send_due``
  (``manage.py send_notifications``) after 1, 2, 4... minutes (at most 6 hours), up to
  ``MAX_ATTEMPTS``; a permanent failure (a refused address, an invalid number) is not retried.
  A process that dies between the transport's acceptance and the mark "sent" sends that one
  message again once its lease has run out: at least once, as the intake's SMS.
* Errors and logs name the message's code and the transport's status, never the address, the
  number or the text.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation
from okoa.intake.channels.gateway import Gateway, GatewayError, get_gateway, sms_enabled
from okoa.lib.background import Senders
from okoa.notifications.models import Event, OutboundEmail, OutboundSms, QueuedMessage

logger = logging.getLogger(__name__)

SENDING_LEASE = datetime.timedelta(minutes=5)
MAX_DELAY = datetime.timedelta(hours=6)
DUE_STATUSES = (
    QueuedMessage.Status.QUEUED,
    QueuedMessage.Status.FAILED,
    QueuedMessage.Status.SENDING,
)


# What is said ----------------------------------------------------------------------------------


def link(path: str) -> str:
    """The absolute address of a site path."""
    return settings.OKOA_SITE_URL + path


def email_subject(event: Event, reference: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Okoa: %(event)s %(reference)s") % {"event": event.label, "reference": reference}


def email_body(event: Event, reference: str, path: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "%(event)s\n\nReference: %(reference)s\n\n%(link)s\n\n"
            "Sign in to Okoa to see it. This message says nothing more, on purpose."
        ) % {"event": event.label, "reference": reference, "link": link(path)}


def sms_text(event: Event, reference: str, path: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Okoa: %(event)s. Ref %(reference)s. %(link)s") % {
            "event": event.label,
            "reference": reference,
            "link": link(path),
        }


# Queueing --------------------------------------------------------------------------------------


def queue_email(
    organisation: Organisation, *, to: str, event: Event, reference: str, path: str
) -> OutboundEmail:
    """Queue a notification email; it is sent once the caller's transaction commits."""
    email = OutboundEmail.objects.create(
        organisation=organisation,
        event=event,
        reference=reference,
        to=to,
        subject=email_subject(event, reference),
        body=email_body(event, reference, path),
    )
    transaction.on_commit(partial(hand_over, OutboundEmail, email.pk))
    return email


def queue_sms(
    organisation: Organisation, *, to: str, event: Event, reference: str, path: str
) -> OutboundSms | None:
    """Queue a notification SMS (none when no SMS gateway is configured)."""
    if not sms_enabled():
        return None
    sms = OutboundSms.objects.create(
        organisation=organisation,
        event=event,
        reference=reference,
        to=to,
        message=sms_text(event, reference, path),
    )
    transaction.on_commit(partial(hand_over, OutboundSms, sms.pk))
    return sms


senders = Senders("okoa-notify", lambda: 2)


Model = type[OutboundEmail] | type[OutboundSms]


def hand_over(model: Model, pk: int) -> None:
    """Send a committed message: in a sender thread, or now if background sending is off."""
    if not settings.OKOA_NOTIFICATIONS_SEND_IN_BACKGROUND:
        send_after_commit(model, pk)
        return
    senders.submit(send_after_commit, model, pk)


def send_after_commit(model: Model, pk: int) -> None:
    """Send a message right after its transaction committed; never raise (it stays queued)."""
    try:
        send_message(model, pk)
    except Exception as error:
        # The type only: an exception's text can quote an address or a phone number.
        logger.error(
            "Notification %s %s could not be sent now (%s); it stays queued.",
            model._meta.model_name,
            pk,
            type(error).__name__,
        )


# Sending ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a transport did with one message."""

    accepted: bool
    permanent: bool = False
    status: str = ""
    message_id: str = ""


def deliver_email(email: OutboundEmail) -> Outcome:
    """Hand an email to Django's configured email backend."""
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    try:
        sent = message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        # Its text names the address: only the kind of failure is kept.
        return Outcome(accepted=False, permanent=True, status="recipient refused")
    except smtplib.SMTPResponseException as error:
        permanent = 500 <= error.smtp_code < 600
        return Outcome(accepted=False, permanent=permanent, status=f"SMTP {error.smtp_code}")
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(accepted=False, status=f"unreachable ({type(error).__name__})")
    except ValueError:
        # Django refuses a malformed address before sending; its text quotes the address.
        return Outcome(accepted=False, permanent=True, status="invalid address")
    return Outcome(accepted=bool(sent), status="accepted" if sent else "not accepted")


def sms_deliverer(gateway: Gateway) -> Callable[[OutboundSms], Outcome]:
    """A transport that hands an SMS to ``gateway`` (the intake's Africa's Talking gateway)."""

    def deliver(sms: OutboundSms) -> Outcome:
        try:
            results = gateway.send([sms.to], sms.message)
        except GatewayError as error:
            return Outcome(accepted=False, status=str(error))
        if not results:
            return Outcome(accepted=False, status="no answer for the number")
        result = results[0]
        return Outcome(
            accepted=result.accepted,
            permanent=result.permanent_failure,
            status=result.status,
            message_id=result.message_id,
        )

    return deliver


def _delay_after(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def send_message(model: Model, pk: int, *, gateway: Gateway | None = None) -> str | None:
    """Send one due message of ``model``; return its new status, or None if it was not due."""
    now = timezone.now()
    taken = model.objects.filter(
        pk=pk,
        status__in=DUE_STATUSES,
        next_attempt_at__lte=now,
        attempts__lt=model.MAX_ATTEMPTS,
    ).update(
        status=QueuedMessage.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    if not taken:
        return None
    message = model.objects.get(pk=pk)
    if isinstance(message, OutboundSms):
        outcome = sms_deliverer(gateway or get_gateway())(message)
    else:
        outcome = deliver_email(message)
    changes: dict[str, object]
    if outcome.accepted:
        changes = {
            "status": QueuedMessage.Status.SENT,
            "sent_at": timezone.now(),
            "next_attempt_at": None,
            "last_error": "",
        }
        if isinstance(message, OutboundSms):
            changes["gateway_message_id"] = outcome.message_id[:100]
    else:
        gives_up = outcome.permanent or message.attempts >= model.MAX_ATTEMPTS
        changes = {
            "status": QueuedMessage.Status.FAILED,
            "next_attempt_at": None
            if gives_up
            else timezone.now() + _delay_after(message.attempts),
            "last_error": outcome.status[:200],
        }
        # The message's code and the transport's status only: never the address or the text.
        logger.warning(
            "Notification %s %s was not sent (attempt %d): %s.%s",
            model._meta.model_name,
            message.code,
            message.attempts,
            outcome.status,
            " Giving up." if gives_up else "",
        )
    model.objects.filter(pk=pk, status=QueuedMessage.Status.SENDING).update(**changes)
    return str(changes["status"])


@dataclass
class SendSummary:
    sent: int = 0
    failed: int = 0


def due(model: Model) -> list[int]:
    """The ids of ``model``'s messages waiting to be sent or tried again, oldest first."""
    return list(
        model.objects.filter(
            status__in=DUE_STATUSES,
            next_attempt_at__lte=timezone.now(),
            attempts__lt=model.MAX_ATTEMPTS,
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:1000]
    )


def send_due(*, gateway: Gateway | None = None) -> SendSummary:
    """Send every notification email and SMS that is due."""
    summary = SendSummary()
    # With no gateway (OKOA_SMS_GATEWAY=none) queued SMS wait until one is configured.
    sms_due = due(OutboundSms) if gateway is not None or sms_enabled() else []
    if sms_due:
        gateway = gateway or get_gateway()
    for model, pks in ((OutboundEmail, due(OutboundEmail)), (OutboundSms, sms_due)):
        for pk in pks:
            status = send_message(model, pk, gateway=gateway)
            if status == QueuedMessage.Status.SENT:
                summary.sent += 1
            elif status is not None:
                summary.failed += 1
    return summary
