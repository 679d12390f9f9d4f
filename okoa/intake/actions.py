"""Receive, triage, refer, close and convert reports; log hotline calls; count attempts.

Contract:

* Every action that changes a report is one transaction, checks its inputs before writing
  anything (an invalid report leaves no row, token or used reference number behind), adds an
  entry to the report's timeline (ReportEvent) and a change record naming fields, never values.
* ``create_report`` is idempotent per channel and ``external_id``: a message delivered twice
  returns the first report (``created=False``, no PIN). Call it outside any transaction, so
  that the report is committed when it returns, before the sender is told it arrived; wrap it
  in ``with_database_retry`` (or call ``receive_report``) so that a briefly locked database is
  waited out instead of losing the report.
* Rate limits (``RATE_LIMITS``) are counted in the database under a keyed hash of the address,
  phone number or reference, never the value; ``create_report(limits=...)`` counts them in the
  report's own transaction. A phone number over its limit of new reports on SMS gets its
  further messages added to its open report (``add_message_to_report``), idempotent per
  gateway message id.
* Search tokens (blind indexes) of reports and calls are rebuilt from the current values on
  every change; ``rebuild_intake_indexes`` recomputes all of them after a blind-index key
  rotation.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.audit.actions import record_change
from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.intake.models import (
    PUBLIC_CHANNELS,
    AppendedMessage,
    Channel,
    GroupIncident,
    GroupIncidentMember,
    HotlineCall,
    IntakeRoute,
    RateLimitCounter,
    Report,
    ReportCase,
    ReportEvent,
    ReportReferenceCounter,
    ReportSearchToken,
)
from okoa.intake.pins import hash_pin
from okoa.lib import crypto, names, rows
from okoa.people.actions import create_person
from okoa.reference.models import Country

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a report may be created or edited with (everything else is Okoa's own).
REPORT_FIELDS = (
    "immediate_danger",
    "urgency",
    "reporter_relationship",
    "reporter_name",
    "reporter_phone",
    "reporter_contact",
    "safe_contact",
    "subject_names",
    "subject_phone_numbers",
    "subject_document_numbers",
    "estimated_people",
    "location_country",
    "location_city",
    "location_details",
    "narrative",
    "employer",
    "recruitment_agency",
)
EDITABLE_REPORT_FIELDS = (*REPORT_FIELDS, "source_detail")
LIST_FIELDS = ("subject_names", "subject_phone_numbers", "subject_document_numbers")
TEXT_LIMITS = {
    "reporter_name": 200,
    "reporter_phone": 40,
    "reporter_contact": 500,
    "safe_contact": 1000,
    "location_city": 200,
    "location_details": 1000,
    "narrative": 20000,
    "employer": 500,
    "recruitment_agency": 500,
    "source_detail": 200,
}
MAX_LIST_ITEMS = 50
MAX_PEOPLE = 100_000

# A hotline call's caller, as the reporter of the report made from the call.
CALLER_RELATIONSHIP = {
    HotlineCall.CallerType.VICTIM: Report.Relationship.SELF,
    HotlineCall.CallerType.RELATIVE: Report.Relationship.RELATIVE,
    HotlineCall.CallerType.MEMBER_OF_PUBLIC: Report.Relationship.MEMBER_OF_PUBLIC,
    HotlineCall.CallerType.OFFICIAL: Report.Relationship.OFFICIAL,
    HotlineCall.CallerType.UNKNOWN: Report.Relationship.UNKNOWN,
}


@dataclass(frozen=True)
class ReceivedReport:
    """The result of receiving a report: the PIN only when the report was created just now."""

    report: Report
    pin: str | None
    created: bool


# Receiving reports


def receiving_organisation(channel: str) -> Organisation:
    """Return the organisation that receives reports of a public ``channel``.

    Without a route (IntakeRoute) the report must still not be lost: it goes to the first
    active CTiP secretariat, else NGO, else any active organisation, and an error is logged so
    that a site administrator sets the route.
    """
    if (routed := _routed_organisation(channel)) is not None:
        return routed
    active = Organisation.objects.filter(is_active=True).order_by("created_at", "id")
    fallback = (
        active.filter(kind=Organisation.Kind.CTIP_SECRETARIAT).first()
        or active.filter(kind=Organisation.Kind.NGO).first()
        or active.first()
    )
    if fallback is None:
        raise ImproperlyConfigured("No active organisation exists to receive reports.")
    logger.error(
        "No intake route for channel %s: the report goes to organisation %s. "
        "Set the route in the site admin (Intake routes).",
        channel,
        fallback.code,
    )
    return fallback


# Loaded for every report of a surge: one plain statement, the organisation built from its row
# (what a report needs of it; any other field loads when first read).
_ROUTED_FIELDS = ("id", "code", "name", "kind", "reference_prefix")


def _routed_organisation(channel: str) -> Organisation | None:
    quote = connection.ops.quote_name
    columns = ", ".join(f"o.{quote(name)}" for name in _ROUTED_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(Organisation._meta.db_table)} o "  # noqa: S608
            f"JOIN {quote(IntakeRoute._meta.db_table)} r ON r.{quote('organisation_id')} = o.id "
            f"WHERE r.{quote('channel')} = %s AND o.{quote('is_active')} "
            "LIMIT 1",
            [channel],
        )
        row = cursor.fetchone()
    return Organisation.from_db(connection.alias, _ROUTED_FIELDS, row) if row else None


def allocate_report_reference(organisation_id: int, prefix: str, year: int) -> str:
    """Take the next report number of the organisation's year: ``TUM-R-2026-000123``.

    Must run inside the transaction that saves the report: the counter row stays locked until
    it commits (the upsert takes the row lock on PostgreSQL; SQLite has one writer), so two
    reports arriving at once never share a number. One statement (an upsert that returns the
    new number), as it runs for every report with the write lock held.
    """
    table = connection.ops.quote_name(ReportReferenceCounter._meta.db_table)
    organisation_, year_, last_ = map(
        connection.ops.quote_name, ("organisation_id", "year", "last_number")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({organisation_}, {year_}, {last_}) "  # noqa: S608
            f"VALUES (%s, %s, 1) ON CONFLICT ({organisation_}, {year_}) "
            f"DO UPDATE SET {last_} = {table}.{last_} + 1 RETURNING {last_}",
            [organisation_id, year],
        )
        number = cursor.fetchone()[0]
    return f"{prefix}-R-{year}-{number:06d}"


def new_pin() -> str:
    """Return a random six-digit PIN."""
    return f"{secrets.randbelow(1_000_000):06d}"


def create_report(
    organisation: Organisation | None = None,
    *,
    channel: str,
    by: User | None,
    external_id: str = "",
    source_detail: str = "",
    language: str = "",
    received_at: datetime.datetime | None = None,
    limits: Sequence[tuple[str, str]] = (),
    checked_delivery: bool = False,
    **values: Any,
) -> ReceivedReport:
    """Record a report received through ``channel``; return it with its PIN (shown once).

    ``organisation`` None routes a public channel's report (``receiving_organisation``).
    With an ``external_id`` (a gateway's message id), a second delivery of the same message
    returns the first report, whichever organisation it went to, with ``created=False`` and no
    PIN (``reissue_report_pin`` gives a new one). Invalid values raise ValidationError (a dict
    by field) before anything is written. ``limits`` are (scope, value) pairs of
    ``RATE_LIMITS`` counted in the transaction that saves the report; one over its limit raises
    RateLimited and nothing is saved (nor counted). ``checked_delivery`` says the caller has
    just looked the ``external_id`` up in this transaction (``delivered_report``): it is not
    looked up again (a concurrent delivery still ends in the first report, by the unique index),
    and the report is written without a savepoint of its own: on an error the caller rolls its
    whole transaction back.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel: {channel}")
    external_id = external_id.strip()
    if len(external_id) > 200:
        raise ValueError("external_id is longer than 200 characters.")
    if external_id and not checked_delivery and (existing := _existing(channel, external_id)):
        return ReceivedReport(existing, None, False)
    cleaned = _clean_values({**values, "source_detail": source_detail})
    if organisation is None:
        organisation = receiving_organisation(channel)
    now = timezone.now()
    report = Report(
        organisation=organisation,
        channel=channel,
        external_id=external_id,
        language=(language or "")[:8],
        received_at=received_at or now,
        updated_at=now,
        created_by=by,
        **cleaned,
    )
    _settle_urgency(report)
    _validate(report)
    # A keyed hash, fast: a password hash here would cap intake at a few reports a second
    # (okoa/intake/pins.py).
    pin = new_pin()
    report.pin_hash = hash_pin(pin)
    fields = [name for name, value in cleaned.items() if value not in (None, "", [], False)]
    return _save_new_report(
        report,
        pin=pin,
        by=by,
        fields=fields,
        limits=limits,
        in_callers_transaction=checked_delivery,
    )


class RateLimited(Exception):
    """An attempt over its limit (``scope`` of ``RATE_LIMITS``): nothing was saved."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


def _save_new_report(
    report: Report,
    *,
    pin: str,
    by: User | None,
    fields: list[str],
    limits: Sequence[tuple[str, str]] = (),
    in_callers_transaction: bool = False,
) -> ReceivedReport:
    # In the caller's transaction (an SMS's, with its acknowledgement), no savepoint: the caller
    # rolls its whole transaction back on an error, and tries it again whole.
    with transaction.atomic(savepoint=not in_callers_transaction):
        return _write_new_report(report, pin=pin, by=by, fields=fields, limits=limits)


def _write_new_report(
    report: Report,
    *,
    pin: str,
    by: User | None,
    fields: list[str],
    limits: Sequence[tuple[str, str]],
) -> ReceivedReport:
    organisation = report.organisation
    # The reference is provisional (the report's own code) until the end of the transaction:
    # see below.
    report.reference = f"~{report.code}"
    try:
        if connection.vendor == "sqlite":
            # A statement that fails leaves an SQLite transaction as it was: no savepoint (two
            # statements less for every report, with the only write lock held).
            rows.insert([report])
        else:
            # A savepoint: on PostgreSQL a failed statement aborts the whole transaction.
            with transaction.atomic():
                rows.insert([report])
    except IntegrityError:
        # A concurrent delivery of the same message won the race: its report is the answer.
        if report.external_id and (existing := _existing(report.channel, report.external_id)):
            return ReceivedReport(existing, None, False)
        raise
    index_report(report, new=True)
    record_event(report, ReportEvent.Kind.RECEIVED, by=by, channel=report.channel)
    record_change(
        organisation_id=organisation.pk,
        record_kind="report",
        record_code=report.code,
        action="created",
        fields=fields,
        by=by,
    )
    # Rows every report shares are written last, so that their locks are held only until the
    # commit that follows: the organisation's report counter, and the rate-limit counts of an
    # address (behind a mobile operator's NAT many people share one). Taken first, they made
    # reports wait for each other's whole transaction on PostgreSQL (docs/benchmarks.md). A
    # count over its limit rolls the whole report back: nothing is saved, nor counted.
    for scope, value in limits:
        if not count_attempt(scope, value):
            raise RateLimited(scope)
    report.reference = allocate_report_reference(
        organisation.pk, organisation.reference_prefix, timezone.localdate().year
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Report._meta.db_table)} SET {quote('reference')} = %s "  # noqa: S608
            "WHERE id = %s",
            [report.reference, report.pk],
        )
    return ReceivedReport(report, pin, True)


def receive_report(organisation: Organisation | None = None, **arguments: Any) -> ReceivedReport:
    """``create_report`` with a briefly locked database waited out (``with_database_retry``).

    The entry point for channels: when it returns, the report is committed and the sender may
    be told its reference.
    """
    return with_database_retry(lambda: create_report(organisation, **arguments))


def delivered_report(channel: str, external_id: str) -> Report | None:
    """The report a message with this gateway id made or was added to, if it arrived before."""
    if not external_id:
        return None
    if (existing := _existing(channel, external_id)) is not None:
        return existing
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('report_id')} FROM {quote(AppendedMessage._meta.db_table)} "  # noqa: S608
            f"WHERE {quote('channel')} = %s AND {quote('external_id')} = %s LIMIT 1",
            [channel, external_id],
        )
        appended = cursor.fetchone()
    return Report.objects.get(pk=appended[0]) if appended is not None else None


def _existing(channel: str, external_id: str) -> Report | None:
    # The unique index on (channel, external_id) is partial (external_id not empty): a query
    # must repeat that condition, or SQLite scans every report on every delivery.
    # Nearly always nothing is found: ask for the id alone (a much cheaper query to build and
    # read than the whole, encrypted report), and load the report only when there is one.
    # One plain statement: this runs for every report of a surge, and building the query through
    # the ORM cost more than running it.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {quote(Report._meta.db_table)} "  # noqa: S608
            f"WHERE {quote('channel')} = %s AND {quote('external_id')} = %s "
            # The index's condition, word for word: SQLite matches it as written.
            f"AND NOT ({quote('external_id')} = '') LIMIT 1",
            [channel, external_id],
        )
        found = cursor.fetchone()
    return Report.objects.get(pk=found[0]) if found else None


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE_REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not report fields: {', '.join(sorted(unknown))}")
    cleaned = dict(values)
    for name in LIST_FIELDS:
        if name in cleaned:
            items = cleaned[name] or []
            if isinstance(items, str):
                items = items.splitlines()
            cleaned[name] = [str(item).strip() for item in items if item and str(item).strip()]
    for name in TEXT_LIMITS:
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "immediate_danger" in cleaned:
        cleaned["immediate_danger"] = bool(cleaned["immediate_danger"])
    if cleaned.get("reporter_relationship") in (None, ""):
        cleaned.pop("reporter_relationship", None)
    if cleaned.get("urgency") in (None, ""):
        cleaned.pop("urgency", None)
    return cleaned


def _settle_urgency(report: Report) -> None:
    # Immediate danger always sorts first: the database refuses anything else.
    if report.immediate_danger:
        report.urgency = Report.Urgency.IMMEDIATE


def _validate(report: Report) -> None:
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, limit in TEXT_LIMITS.items():
        if len(getattr(report, name) or "") > limit:
            error(name, _("Write at most %(limit)d characters.") % {"limit": limit})
    for name in LIST_FIELDS:
        items = getattr(report, name) or []
        if len(items) > MAX_LIST_ITEMS:
            error(name, _("Give at most %(limit)d entries.") % {"limit": MAX_LIST_ITEMS})
        if any(len(item) > 200 for item in items):
            error(name, _("Each entry may have at most 200 characters."))
    phones = [("reporter_phone", report.reporter_phone)] if report.reporter_phone else []
    phones += [("subject_phone_numbers", phone) for phone in report.subject_phone_numbers or []]
    for name, phone in phones:
        if not 7 <= len(names.normalise_phone(phone)) <= 15:
            error(name, _("%(phone)s is not a phone number.") % {"phone": phone})
    if report.estimated_people is not None and not 1 <= report.estimated_people <= MAX_PEOPLE:
        error("estimated_people", _("Enter a number between 1 and 100,000."))
    if report.urgency not in Report.Urgency.values:
        error("urgency", _("Choose an urgency."))
    if report.reporter_relationship not in Report.Relationship.values:
        error("reporter_relationship", _("Choose who is reporting."))
    if report.immediate_danger and report.urgency != Report.Urgency.IMMEDIATE:
        error("urgency", _("A report of immediate danger keeps the top urgency."))
    if not (
        report.narrative
        or report.reporter_phone
        or report.reporter_contact
        or report.safe_contact
        or report.subject_names
        or report.subject_phone_numbers
    ):
        error("narrative", _("Say what is happening, or how to reach somebody."))
    if errors:
        raise ValidationError(errors)


def record_event(report: Report, kind: str, *, by: User | None, **data: Any) -> ReportEvent:
    """Add an entry to the report's timeline."""
    event = ReportEvent(report=report, kind=kind, by=by, data=data)
    rows.insert([event])
    return event


@transaction.atomic
def update_report(
    report: Report, *, by: User | None, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Change a report's details; return the names of the fields that changed.

    With ``expected_version``, an edit based on an outdated copy is refused (StaleEdit).
    """
    cleaned = _clean_values(values)
    current = Report.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Somebody else saved this report after you opened it. "
                "Reload the page to see their changes, then edit again."
            )
        )
    changed = []
    for name, value in cleaned.items():
        attname = Report._meta.get_field(name).attname  # type: ignore[union-attr]
        if getattr(current, attname) != (value.pk if hasattr(value, "pk") else value):
            setattr(current, name, value)
            changed.append(name)
    if current.immediate_danger and current.urgency != Report.Urgency.IMMEDIATE:
        # As when created: immediate danger always sorts first.
        current.urgency = Report.Urgency.IMMEDIATE
        if "urgency" not in changed:
            changed.append("urgency")
    _validate(current)
    if not changed:
        return []
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    index_report(current)
    record_event(current, ReportEvent.Kind.UPDATED, by=by, fields=sorted(changed))
    record_change(
        organisation_id=current.organisation_id,
        record_kind="report",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    report.refresh_from_db()
    return changed


class StaleEdit(ValidationError):
    """Somebody else saved the report after it was opened for editing."""


def reissue_report_pin(report: Report, *, by: User | None) -> str:
    """Give the report a new PIN (the old one stops working) and return it, to be shown once."""
    pin = new_pin()
    pin_hash = hash_pin(pin)
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(pin_hash=pin_hash)
        record_event(report, ReportEvent.Kind.PIN_REISSUED, by=by)
    report.pin_hash = pin_hash
    return pin


@transaction.atomic
def add_message_to_report(
    report: Report, *, channel: str, external_id: str, text: str, by: User | None = None
) -> bool:
    """Add a further message from the reporter at the end of the report's narrative.

    For a sender over the per-number limit of new reports. Return False, changing nothing, when
    the narrative has no room left for it (its limit is ``TEXT_LIMITS["narrative"]``). A message
    delivered again (same channel and ``external_id``) is added once.
    """
    text = (text or "").strip()
    if delivered_report(channel, external_id) is not None:
        return True
    current = Report.objects.select_for_update().get(pk=report.pk)
    with translation.override(settings.LANGUAGE_CODE):
        heading = _("Another message by %(channel)s, %(time)s:") % {
            "channel": Channel(channel).label,
            "time": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT"),
        }
    narrative = "\n\n".join(part for part in (current.narrative, f"{heading}\n{text}") if part)
    if len(narrative) > TEXT_LIMITS["narrative"]:
        return False
    current.narrative = narrative
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["narrative", "version", "updated_at"])
    AppendedMessage.objects.create(channel=channel, external_id=external_id, report=current)
    record_event(current, ReportEvent.Kind.MESSAGE_ADDED, by=by, channel=channel)
    record_change(
        organisation_id=current.organisation_id,
        record_kind="report",
        record_code=current.code,
        action="message_added",
        fields=["narrative"],
        by=by,
    )
    report.refresh_from_db()
    return True


# Triage


def _is_caseworker_of(user: User, organisation_id: int) -> bool:
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, is_active=True, user__is_active=True
    ).first()
    return bool(membership and membership.can(Capability.EDIT_CASES))


@transaction.atomic
def assign_report(report: Report, *, to: User | None, by: User | None) -> None:
    """Give the report to a caseworker of its organisation (or to nobody).

    A report still marked received moves into triage when somebody is given it.
    """
    if to is not None and not _is_caseworker_of(to, report.organisation_id):
        raise ValidationError({"to": [_("Choose a caseworker of your organisation.")]})
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.assigned_to_id == (to.pk if to else None):
        return
    current.assigned_to = to
    fields = ["assigned_to"]
    previous = current.status
    if to is not None and current.status == Report.Status.RECEIVED:
        current.status = Report.Status.IN_TRIAGE
        fields.append("status")
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=[*fields, "version", "updated_at"])
    record_event(current, ReportEvent.Kind.ASSIGNED, by=by, to=to.code if to else None)
    if "status" in fields:
        record_event(
            current, ReportEvent.Kind.STATUS_CHANGED, by=by, previous=previous, to=current.status
        )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="report",
        record_code=current.code,
        action="assigned",
        fields=fields,
        by=by,
    )
    report.refresh_from_db()


def _move(
    report: Report,
    *,
    to: str,
    by: User | None,
    reason: str = "",
    note: str = "",
    referred_to: str = "",
) -> None:
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status == to:
        return
    if not current.can_move_to(to):
        raise ValidationError(
            {
                "to": [
                    _("A report cannot move from %(from)s to %(to)s.")
                    % {"from": current.get_status_display(), "to": Report.Status(to).label}
                ]
            }
        )
    previous = current.status
    fields = ["status"]
    current.status = to
    current.closed_at = timezone.now() if to == Report.Status.CLOSED else None
    if to in (Report.Status.CLOSED, Report.Status.REFERRED):
        current.outcome_reason, current.outcome_note = reason, note.strip()
        fields += ["outcome_reason", "outcome_note"]
        if to == Report.Status.REFERRED:
            current.referred_to = referred_to.strip()
            fields.append("referred_to")
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=[*fields, "closed_at", "version", "updated_at"])
    # The reason code only: the note is free text and may name people; it stays on the report.
    record_event(
        current, ReportEvent.Kind.STATUS_CHANGED, by=by, previous=previous, to=to, reason=reason
    )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="report",
        record_code=current.code,
        action="status_changed",
        fields=fields,
        by=by,
    )
    report.refresh_from_db()


@transaction.atomic
def change_report_status(report: Report, *, to: str, by: User | None) -> None:
    """Move the report into triage or to being handled (or reopen a closed one into triage).

    Referring and closing need a reason: use ``refer_report`` and ``close_report``.
    """
    if to in (Report.Status.CLOSED, Report.Status.REFERRED):
        raise ValueError("Use close_report or refer_report: they need a reason.")
    _move(report, to=to, by=by)


@transaction.atomic
def close_report(report: Report, *, reason: str, note: str = "", by: User | None) -> None:
    """Close the report with one of ``Report.CLOSING_REASONS``; closing twice is a no-op."""
    if reason not in Report.CLOSING_REASONS:
        raise ValidationError({"reason": [_("Choose why the report is closed.")]})
    _move(report, to=Report.Status.CLOSED, by=by, reason=reason, note=note)


@transaction.atomic
def refer_report(report: Report, *, to: str, reason: str, note: str = "", by: User | None) -> None:
    """Refer the report to another organisation or service outside Okoa (named in ``to``).

    Nothing is sent anywhere: this records that the reporter or the people in distress were
    directed elsewhere, and why.
    """
    errors: dict[str, list[str]] = {}
    if reason not in Report.REFERRAL_REASONS:
        errors["reason"] = [_("Choose why the report is referred.")]
    if not to.strip():
        errors["referred_to"] = [_("Name the organisation or service it is referred to.")]
    elif len(to.strip()) > 500:
        errors["referred_to"] = [_("Write at most %(limit)d characters.") % {"limit": 500}]
    if errors:
        raise ValidationError(errors)
    _move(report, to=Report.Status.REFERRED, by=by, reason=reason, note=note, referred_to=to)


# From a report to people and cases


def _start_handling(report: Report, *, by: User | None) -> None:
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.status == Report.Status.CLOSED:
        raise ValidationError(_("This report is closed. Reopen it before opening cases from it."))
    if current.status != Report.Status.BEING_HANDLED:
        _move(current, to=Report.Status.BEING_HANDLED, by=by)
    report.refresh_from_db()


@transaction.atomic
def open_case_from_report(
    report: Report,
    *,
    by: User | None,
    person_values: dict[str, Any],
    case_details: dict[str, Any] | None = None,
    assigned_to: User | None = None,
    estimated_age: int | None = None,
) -> Case:
    """Record one person the report is about and open their case, in one transaction.

    The report moves to being handled; a closed report must be reopened first.
    """
    _start_handling(report, by=by)
    person = create_person(report.organisation, by=by, estimated_age=estimated_age, **person_values)
    case = open_case(person, by=by, assigned_to=assigned_to, **(case_details or {}))
    ReportCase.objects.create(report=report, case=case, created_by=by)
    record_event(report, ReportEvent.Kind.CASE_OPENED, by=by, case=case.code)
    return case


@transaction.atomic
def open_group_incident(
    report: Report,
    *,
    by: User | None,
    estimated_size: int,
    country: Country | None = None,
    location: str = "",
    description: str = "",
) -> GroupIncident:
    """Open a group incident for a report about many people; people are added to it later."""
    errors: dict[str, list[str]] = {}
    if not 1 <= estimated_size <= MAX_PEOPLE:
        errors["estimated_size"] = [_("Enter a number between 1 and 100,000.")]
    if len(location) > 1000:
        errors["location"] = [_("Write at most %(limit)d characters.") % {"limit": 1000}]
    if len(description) > 20000:
        errors["description"] = [_("Write at most %(limit)d characters.") % {"limit": 20000}]
    if errors:
        raise ValidationError(errors)
    _start_handling(report, by=by)
    incident = GroupIncident.objects.create(
        organisation_id=report.organisation_id,
        report=report,
        estimated_size=estimated_size,
        country=country,
        location=location.strip(),
        description=description.strip(),
        created_by=by,
    )
    record_event(report, ReportEvent.Kind.GROUP_OPENED, by=by, incident=incident.code)
    record_change(
        organisation_id=report.organisation_id,
        record_kind="group_incident",
        record_code=incident.code,
        action="created",
        fields=["estimated_size", "country", "location", "description"],
        by=by,
    )
    return incident


@transaction.atomic
def add_person_to_group_incident(
    incident: GroupIncident,
    *,
    by: User | None,
    person_values: dict[str, Any],
    case_details: dict[str, Any] | None = None,
    assigned_to: User | None = None,
    estimated_age: int | None = None,
) -> Case:
    """Record one more person of a group incident with a case of their own (one transaction)."""
    case = open_case_from_report(
        incident.report,
        by=by,
        person_values=person_values,
        case_details=case_details,
        assigned_to=assigned_to,
        estimated_age=estimated_age,
    )
    GroupIncidentMember.objects.create(incident=incident, case=case, added_by=by)
    return case


# Hotline calls


@transaction.atomic
def log_hotline_call(
    organisation: Organisation,
    *,
    by: User,
    category: str,
    caller_type: str = HotlineCall.CallerType.UNKNOWN,
    started_at: datetime.datetime | None = None,
    duration_seconds: int = 0,
    caller_phone: str = "",
    notes: str = "",
) -> HotlineCall:
    """Log one hotline call (every call: silent, prank and wrong-number calls too)."""
    errors: dict[str, list[str]] = {}
    caller_phone, notes = caller_phone.strip(), notes.strip()
    if category not in HotlineCall.Category.values:
        errors["category"] = [_("Choose what the call was about.")]
    if caller_type not in HotlineCall.CallerType.values:
        errors["caller_type"] = [_("Choose who called.")]
    if caller_phone and not 7 <= len(names.normalise_phone(caller_phone)) <= 15:
        errors["caller_phone"] = [_("%(phone)s is not a phone number.") % {"phone": caller_phone}]
    if not 0 <= duration_seconds <= 24 * 60 * 60:
        errors["duration_seconds"] = [_("Enter a duration of at most a day.")]
    now = timezone.now()
    if started_at is not None and started_at > now + datetime.timedelta(minutes=5):
        errors["started_at"] = [_("The call cannot start in the future.")]
    if len(notes) > 20000:
        errors["notes"] = [_("Write at most %(limit)d characters.") % {"limit": 20000}]
    if errors:
        raise ValidationError(errors)
    call = HotlineCall(
        organisation=organisation,
        operator=by,
        category=category,
        caller_type=caller_type,
        started_at=started_at or now,
        duration_seconds=duration_seconds,
        caller_phone=caller_phone,
        notes=notes,
    )
    call.caller_phone_token = _phone_token(organisation.code, caller_phone)
    call.save()
    record_change(
        organisation_id=organisation.pk,
        record_kind="hotline_call",
        record_code=call.code,
        action="created",
        fields=["category", "caller_type", *(["caller_phone"] if caller_phone else [])],
        by=by,
    )
    return call


@transaction.atomic
def create_report_from_call(call: HotlineCall, *, by: User | None) -> ReceivedReport:
    """Turn a call into a report pre-filled with the call's details (channel hotline).

    Clicking twice gives the same report: a call makes at most one report.
    """
    current = (
        HotlineCall.objects.select_for_update(of=("self",)).select_related("report").get(pk=call.pk)
    )
    if current.report is not None:
        return ReceivedReport(current.report, None, False)
    received = create_report(
        current.organisation,
        channel=Channel.HOTLINE,
        by=by,
        received_at=current.started_at,
        reporter_relationship=CALLER_RELATIONSHIP[HotlineCall.CallerType(current.caller_type)],
        reporter_phone=current.caller_phone,
        narrative=current.notes,
    )
    current.report = received.report
    current.save(update_fields=["report"])
    call.refresh_from_db(fields=["report"])
    return received


# Blind indexes


def _phone_key(phone: str) -> str | None:
    normalised = names.normalise_phone(phone or "")
    return f"tel:{normalised}" if normalised else None


def _phone_token(organisation_code: str, phone: str) -> int | None:
    key = _phone_key(phone)
    if key is None:
        return None
    return crypto.blind_index_with(crypto.key_ring().index_key_for(organisation_code), key)


def open_report_from_phone(
    organisation: Organisation, *, channel: str, phone: str, since: datetime.datetime
) -> Report | None:
    """The latest report still open that came by ``channel`` from ``phone`` since ``since``.

    Found through the reports' phone tokens: nothing is decrypted.
    """
    token = _phone_token(organisation.code, phone)
    if token is None:
        return None
    report_ids = ReportSearchToken.objects.filter(
        organisation=organisation, kind=ReportSearchToken.Kind.PHONE, token=token
    ).values("report_id")
    return (
        Report.objects.open()
        .filter(
            pk__in=report_ids,
            organisation=organisation,
            channel=channel,
            received_at__gte=since,
        )
        .order_by("-received_at", "-id")
        .first()
    )


def report_search_keys(report: Report) -> dict[int, set[str]]:
    """Return a report's plaintext search keys by kind (hashed before they are stored).

    Phone, document and name keys are spelt as people's are (``okoa.people.actions``), so that
    the hashed tokens of a report and of a person's file meet.
    """
    Kind = ReportSearchToken.Kind
    keys: dict[int, set[str]] = {kind: set() for kind in Kind}
    for phone in [report.reporter_phone, *(report.subject_phone_numbers or [])]:
        if key := _phone_key(phone):
            keys[Kind.PHONE].add(key)
    for number in report.subject_document_numbers or []:
        if normalised := names.normalise_document_number(number):
            keys[Kind.DOCUMENT].add(f"doc:{normalised}")
    # The sound of each name part (people store the same ``p:`` keys): two names that share two
    # such parts are worth a look, however each was spelt.
    for text in report.subject_names or []:
        for part in names.name_parts(text):
            if skeleton := names.phonetic(part):
                keys[Kind.NAME].add(f"p:{skeleton}")
    if report.location_country_id and (city := " ".join(names.name_parts(report.location_city))):
        country = report.location_country
        assert country is not None
        keys[Kind.PLACE].add(f"place:{country.code}:{city}")
    if agency := " ".join(names.name_parts(report.recruitment_agency or "")):
        keys[Kind.AGENCY].add(f"agency:{agency}")
    return keys


def index_report(report: Report, *, new: bool = False) -> None:
    """Replace the report's blind-index tokens with ones computed from the current values.

    ``new``: the report was saved just now and has no tokens yet (nothing to delete).
    """
    organisation = report.organisation
    scope_key = crypto.key_ring().index_key_for(organisation.code)
    tokens = {
        (kind, crypto.blind_index_with(scope_key, key))
        for kind, keys in report_search_keys(report).items()
        for key in keys
    }
    if not new:
        ReportSearchToken.objects.filter(report=report).delete()
    rows.insert(
        [
            ReportSearchToken(report=report, organisation=organisation, kind=kind, token=token)
            for kind, token in tokens
        ]
    )


def rebuild_intake_indexes(*, batch_size: int = 500) -> int:
    """Recompute every report's and call's tokens (after a blind-index key rotation)."""
    count = 0
    for model in (Report, HotlineCall):
        last = 0
        while True:
            batch: list[Any] = list(
                model.objects.select_related("organisation")
                .filter(pk__gt=last)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            with transaction.atomic():
                for record in batch:
                    if isinstance(record, Report):
                        index_report(record)
                    else:
                        HotlineCall.objects.filter(pk=record.pk).update(
                            caller_phone_token=_phone_token(
                                record.organisation.code, record.caller_phone
                            )
                        )
            count += len(batch)
            last = batch[-1].pk
    return count


# Busy databases and rate limits


def _is_transient(error: OperationalError) -> bool:
    """Whether a database error goes away when tried again: a lock or a serialisation failure."""
    message = str(error).lower()
    if "database is locked" in message or "database table is locked" in message:
        return True  # SQLite: another writer held the lock past the timeout
    # PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
    return getattr(error.__cause__, "sqlstate", None) in {"40001", "40P01", "55P03"}


# Replaced in tests, which must not wait.
sleep: Callable[[float], None] = time.sleep


def with_database_retry(action: Callable[[], T], *, attempts: int = 5, delay: float = 0.2) -> T:
    """Run ``action`` (its own transaction), trying again while the database is briefly locked.

    Up to ``attempts`` tries, waiting ``delay`` seconds and doubling it in between; any other
    error, or the last one, is raised. Meant for calls outside a transaction: inside one, the
    action's transaction is a savepoint and the outer lock may never be released.
    """
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except OperationalError as error:
            if attempt == attempts or not _is_transient(error):
                raise
            logger.warning(
                "Database busy (attempt %d of %d): trying again in %.1f s.",
                attempt,
                attempts,
                delay,
            )
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` attempts per ``window`` seconds (fixed windows)."""

    limit: int
    window: int


# Generous per address: many phones share one address behind mobile operators' NAT. Per phone
# number, each channel counts apart: a number typed into the web form, which anybody can type,
# must not use up the SMS or USSD reports of the phone that really has it.
PHONE_LIMIT = RateLimit(limit=settings.OKOA_INTAKE_REPORTS_PER_PHONE, window=60 * 60)
RATE_LIMITS: dict[str, RateLimit] = {
    "report_address": RateLimit(limit=settings.OKOA_INTAKE_REPORTS_PER_ADDRESS, window=60 * 60),
    "report_phone": PHONE_LIMIT,
    "sms_phone": PHONE_LIMIT,
    "ussd_phone": PHONE_LIMIT,
    "status_address": RateLimit(limit=30, window=60 * 60),
    # Guessing a PIN for one reference from many addresses.
    "status_reference": RateLimit(limit=10, window=24 * 60 * 60),
}
RATE_LIMIT_SCOPE = "okoa-intake-rate-limit"


def count_attempt(scope: str, value: str, *, now: datetime.datetime | None = None) -> bool:
    """Count one attempt of ``scope`` by ``value`` (an address, a phone, a reference).

    Return False when it goes over the limit. The value is stored only as a keyed hash.
    """
    return count_attempts(scope, value, now=now) <= RATE_LIMITS[scope].limit


def count_attempts(scope: str, value: str, *, now: datetime.datetime | None = None) -> int:
    """Count one attempt of ``scope`` by ``value``; return the attempts of the window so far."""
    rule = RATE_LIMITS[scope]
    now = now or timezone.now()
    seconds = int(now.timestamp())
    window_start = datetime.datetime.fromtimestamp(seconds - seconds % rule.window, tz=datetime.UTC)
    key = crypto.blind_index_with(
        crypto.key_ring().index_key_for(RATE_LIMIT_SCOPE), f"{scope}:{value}"
    )
    # One statement (an upsert that returns the new count): every public report is counted
    # twice, and in a surge each extra query and transaction here holds up the reports.
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    scope_, key_, window_, hits_ = map(
        connection.ops.quote_name, ("scope", "key", "window_start", "hits")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({scope_}, {key_}, {window_}, {hits_}) "  # noqa: S608
            f"VALUES (%s, %s, %s, 1) ON CONFLICT ({scope_}, {key_}, {window_}) "
            f"DO UPDATE SET {hits_} = {table}.{hits_} + 1 RETURNING {hits_}",
            [scope, key, connection.ops.adapt_datetimefield_value(window_start)],
        )
        hits = cursor.fetchone()[0]
    _forget_old_counters(now)
    return int(hits)


_last_cleanup = 0.0


def _forget_old_counters(now: datetime.datetime) -> None:
    """Delete windows long past, at most once a minute per process (the index keeps it cheap)."""
    global _last_cleanup
    if time.monotonic() - _last_cleanup < 60:
        return
    _last_cleanup = time.monotonic()
    RateLimitCounter.objects.filter(window_start__lt=now - datetime.timedelta(days=2)).delete()


@transaction.atomic
def set_intake_route(channel: str, *, organisation: Organisation) -> IntakeRoute:
    """Send the reports of a public channel (web, SMS, USSD, email) to ``organisation``."""
    if channel not in {item.value for item in PUBLIC_CHANNELS}:
        raise ValidationError({"channel": [_("Only public channels are routed.")]})
    route, _created = IntakeRoute.objects.update_or_create(
        channel=channel, defaults={"organisation": organisation}
    )
    return route
