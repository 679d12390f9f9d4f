"""Notify organisations and users; mark notifications read; set an organisation's contacts.

Contract:

* ``notify_organisation`` and ``notify_users`` run inside the caller's transaction (the referral
  being sent or answered): the notifications exist exactly when the caller's change does. They
  take an ``Event``, an opaque ``reference`` and a site ``path``, and nothing else, so that no
  name or case detail can reach a notification, an email or an SMS.
* ``notify_organisation`` notifies the organisation's active members whose role holds
  ``capability`` in the app, and queues one email and one SMS to its notification contacts (if
  set), sent once the transaction has committed (``okoa.notifications.delivery``).
  ``notify_users`` notifies the given users in the app only: the organisations' desks hear of
  events through ``notify_organisation``.
* A bad ``event``, ``reference`` or ``path`` raises ``ValueError``: they come from code, not
  from people, and a wrong one is a bug that must not be sent out.
* ``set_notification_contacts`` checks and normalises the address and the phone number
  (field-level ``ValidationError``), refuses a save based on an older version, and leaves a
  change record naming the fields, never their values.
* ``prune_notifications`` (``manage.py prune_notifications``, daily) deletes what is no longer
  worth keeping: notifications read long ago, unread ones far older, and emails and SMS that
  were sent or given up a month ago, in batches so that no delete holds a table for long.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import ROLE_CAPABILITIES, Capability, Organisation, User
from okoa.audit.actions import record_change
from okoa.audit.models import ChangeRecord
from okoa.lib import names
from okoa.notifications import delivery
from okoa.notifications.access import contacts_of
from okoa.notifications.models import (
    Event,
    Notification,
    NotificationContacts,
    OutboundEmail,
    OutboundSms,
    QueuedMessage,
)

# A reference is an opaque code or a human case reference: letters, digits, - _ / .
REFERENCE = re.compile(r"^[A-Za-z0-9_\-./]{1,64}$")
# A site path: starts with one slash (never "//host" or "https://..."), no spaces or quotes.
PATH = re.compile(r"^/(?!/)[A-Za-z0-9_\-./?=&%]{0,199}$")


def _checked(event: str, reference: str, path: str) -> Event:
    try:
        checked = Event(event)
    except ValueError:
        raise ValueError(f"Unknown notification event {event!r}.") from None
    if not REFERENCE.match(reference):
        raise ValueError("A notification reference is an opaque code (letters, digits, -_./).")
    if not PATH.match(path) or "\\" in path:
        raise ValueError("A notification path is a path of this site, such as /referrals/<code>/.")
    return checked


def roles_with(capability: Capability) -> list[str]:
    """The roles whose capabilities include ``capability``."""
    return [role.value for role, held in ROLE_CAPABILITIES.items() if capability in held]


def notify_organisation(
    organisation: Organisation,
    *,
    event: str,
    reference: str,
    path: str,
    capability: Capability = Capability.VIEW_CASES,
) -> None:
    """Tell the organisation's members (holding ``capability``) and its desk of an event."""
    checked = _checked(event, reference, path)
    users = User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__is_active=True,
        memberships__role__in=roles_with(capability),
    ).distinct()
    _create_notifications(users, checked, reference, path, organisation=organisation)
    contacts = contacts_of(organisation)
    if contacts.email:
        delivery.queue_email(
            organisation, to=contacts.email, event=checked, reference=reference, path=path
        )
    if contacts.phone:
        delivery.queue_sms(
            organisation, to=contacts.phone, event=checked, reference=reference, path=path
        )


def notify_users(users: Iterable[User], *, event: str, reference: str, path: str) -> None:
    """Tell the given (active) users of an event, in the app only."""
    checked = _checked(event, reference, path)
    active = {user.pk: user for user in users if user.is_active}
    _create_notifications(active.values(), checked, reference, path, organisation=None)


def _create_notifications(
    users: Iterable[User],
    event: Event,
    reference: str,
    path: str,
    *,
    organisation: Organisation | None,
) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            user=user,
            organisation=organisation,
            event=event,
            reference=reference,
            path=path,
            created_at=now,
        )
        for user in users
    )


def mark_read(notification: Notification, *, by: User) -> None:
    """Mark one of the user's notifications read; marking a read one again changes nothing."""
    if notification.user_id != by.pk:
        raise ValueError("A notification is marked read only by its recipient.")
    if notification.read_at is not None:
        return
    notification.read_at = timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=notification.read_at
    )


def mark_all_read(*, by: User) -> int:
    """Mark every unread notification of the user read; return how many were unread."""
    return Notification.objects.for_user(by).unread().update(read_at=timezone.now())


# Pruning ----------------------------------------------------------------------------------------

# A notification read three months ago has done its work: the referral it points to keeps its
# own timeline, and the list stays short enough to read on a phone.
READ_NOTIFICATION_DAYS = 90
# Unread ones stay longer, so that a member back from a long leave still finds them; after a
# year nobody will act on one, and it only says which referrals somebody once dealt with.
UNREAD_NOTIFICATION_DAYS = 365
# An email or SMS sent or given up carries only a label, a code and a link, but nothing needs
# it once delivered: a month is enough to answer "did the desk get it?". Queued and sending
# ones are never deleted (they wait for a transport, or for a retry).
SENT_MESSAGE_DAYS = 30
# Each batch is one short delete: the table is never held for long while members read theirs.
PRUNE_BATCH_SIZE = 500


@dataclass
class PruneSummary:
    read: int = 0
    unread: int = 0
    emails: int = 0
    sms: int = 0


def _delete_in_batches(rows: QuerySet[Model]) -> int:
    """Delete ``rows`` a batch at a time (each its own statement); return how many went.

    Each batch is deleted through ``rows`` again, so a row that stopped matching since it was
    listed (a notification read just now) stays.
    """
    deleted = 0
    while True:
        batch = list(rows.order_by("pk").values_list("pk", flat=True)[:PRUNE_BATCH_SIZE])
        if not batch:
            return deleted
        count = rows.filter(pk__in=batch).delete()[0]
        if not count:
            return deleted  # all changed under us: the next run looks again
        deleted += count


def prune_notifications(*, now: datetime.datetime | None = None) -> PruneSummary:
    """Delete notifications read over ``READ_NOTIFICATION_DAYS`` ago, unread ones older than
    ``UNREAD_NOTIFICATION_DAYS``, and notification emails and SMS sent or failed over
    ``SENT_MESSAGE_DAYS`` ago; return how many of each went."""
    now = now or timezone.now()
    read_before = now - datetime.timedelta(days=READ_NOTIFICATION_DAYS)
    unread_before = now - datetime.timedelta(days=UNREAD_NOTIFICATION_DAYS)
    sent_before = now - datetime.timedelta(days=SENT_MESSAGE_DAYS)
    finished = (QueuedMessage.Status.SENT, QueuedMessage.Status.FAILED)
    return PruneSummary(
        read=_delete_in_batches(Notification.objects.filter(read_at__lt=read_before)),
        unread=_delete_in_batches(
            Notification.objects.filter(read_at__isnull=True, created_at__lt=unread_before)
        ),
        emails=_delete_in_batches(
            OutboundEmail.objects.filter(status__in=finished, created_at__lt=sent_before)
        ),
        sms=_delete_in_batches(
            OutboundSms.objects.filter(status__in=finished, created_at__lt=sent_before)
        ),
    )


# Contacts ---------------------------------------------------------------------------------------

# E.164: at most 15 digits with the country code; Kenyan numbers are 254 and nine digits.
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 10, 15
CONTACTS_RECORD = "notification_contacts"
FIELD_LABELS = {"email": _("email address"), "phone": _("phone number")}


def normalise_contact_phone(text: str) -> str:
    """Return ``+`` and the international digits of a phone number, or raise ValidationError."""
    if not text.strip():
        return ""
    if re.search(r"[^\d\s+()\-.]", text):
        raise ValidationError(_("A phone number has only digits, spaces, +, - and brackets."))
    digits = names.normalise_phone(text)
    if not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise ValidationError(
            _("Write the number with its country code (+254 7XX XXX XXX) or as 07XX XXX XXX.")
        )
    if digits.startswith("254") and (len(digits) != 12 or digits[3] not in "17"):
        raise ValidationError(_("A Kenyan mobile number has nine digits after 0 or +254: 7… or 1…"))
    return "+" + digits


def _changed_since(organisation: Organisation, version: int, current: int) -> list[str]:
    """The fields changed between two versions: each version left one change record."""
    records = ChangeRecord.objects.filter(
        record_kind=CONTACTS_RECORD, record_code=organisation.code
    ).order_by("-at", "-id")[: max(current - version, 0)]
    return sorted({str(FIELD_LABELS.get(name, name)) for r in records for name in r.fields})


class StaleContacts(ValidationError):
    """The contacts were changed since the page was opened."""


@transaction.atomic
def set_notification_contacts(
    organisation: Organisation,
    *,
    email: str,
    phone: str,
    by: User | None,
    expected_version: int | None = None,
) -> NotificationContacts:
    """Set where the organisation's referral desk is told of referrals (empty: nowhere)."""
    errors: dict[str, list[ValidationError]] = {}
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            errors["email"] = [error]
    try:
        phone = normalise_contact_phone(phone)
    except ValidationError as error:
        errors["phone"] = [error]
    if errors:
        raise ValidationError(errors)
    # Locked so that two administrators saving at once are ordered, and the second one refused.
    current = (
        NotificationContacts.objects.select_for_update().filter(organisation=organisation).first()
    )
    version = current.version if current else 0
    if expected_version is not None and expected_version != version:
        raise StaleContacts(
            _(
                "Somebody else saved these contacts after you opened this page (changed: "
                "%(fields)s). Reload the page to see their changes, then edit again."
            )
            % {"fields": ", ".join(_changed_since(organisation, expected_version, version))},
            code="stale",
        )
    contacts = current or NotificationContacts(organisation=organisation, version=0)
    changed = [
        name
        for name, value in (("email", email), ("phone", phone))
        if getattr(contacts, name) != value
    ]
    if current is not None and not changed:
        return contacts
    contacts.email, contacts.phone = email, phone
    contacts.updated_at, contacts.updated_by = timezone.now(), by
    contacts.version = version + 1
    contacts.save()
    record_change(
        organisation_id=organisation.pk,
        record_kind=CONTACTS_RECORD,
        record_code=organisation.code,
        action="created" if current is None else "updated",
        fields=changed,
        by=by,
    )
    return contacts
