"""Loading reports, hotline calls and group incidents for a member; the public status check.

Contract: reports, calls and group incidents are reached only through these functions. A record
of another organisation, a missing record and a record the role may not see all raise the same
Http404. Hotline operators, caseworkers, supervisors and organisation administrators of the
receiving organisation see its reports with the reporters' details (``Capability.VIEW_INTAKE``);
data analysts never reach reports, which are mostly who and where. Possible duplicates are found
on blind-index tokens only: nothing is decrypted to find them, and people's files are offered as
matches only to roles that see identities.

The public status check (``public_stage_for``) answers the public stage and nothing else, and
answers a wrong reference exactly as it answers a wrong PIN.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Capability, Membership
from okoa.cases.models import Case
from okoa.intake.actions import report_search_keys
from okoa.intake.models import (
    GroupIncident,
    GroupIncidentMember,
    HotlineCall,
    Report,
    ReportAttachment,
    ReportQuerySet,
    ReportSearchToken,
)
from okoa.intake.pins import hash_pin, pin_matches
from okoa.lib import crypto, names
from okoa.people.access import can_see_people, people_for_user
from okoa.people.models import Person, PersonSearchToken


def can_see_intake(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.VIEW_INTAKE)  # type: ignore[union-attr]


def can_edit_intake(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.EDIT_INTAKE)  # type: ignore[union-attr]


def can_open_cases_from_reports(membership: Membership | None) -> bool:
    return can_edit_intake(membership) and membership.can(Capability.EDIT_CASES)  # type: ignore[union-attr]


# Reports


def reports_for_user(membership: Membership | None) -> ReportQuerySet:
    """Return the reports the member may see."""
    if not can_see_intake(membership):
        return Report.objects.none()
    assert membership is not None
    return Report.objects.filter(organisation_id=membership.organisation_id)


def get_report_for_user(membership: Membership | None, code: str, *, write: bool = False) -> Report:
    """Return the report with ``code`` if the member may see it (or change it, with ``write``)."""
    if write and not can_edit_intake(membership):
        raise Http404
    report = (
        reports_for_user(membership)
        .select_related("organisation", "location_country", "assigned_to", "created_by")
        .filter(code=code)
        .first()
    )
    if report is None:
        raise Http404
    return report


@dataclass(frozen=True)
class ReportFilters:
    """The triage queue's filters. ``status`` "open" means every status that needs somebody."""

    status: str = "open"
    channel: str = ""
    assigned_to_me: bool = False


QUEUE_PAGE_SIZE = 50


def report_queue_for_user(
    membership: Membership | None,
    filters: ReportFilters,
    *,
    after: str | None = None,
    page_size: int = QUEUE_PAGE_SIZE,
) -> tuple[list[Report], str | None]:
    """Return one page of the triage queue and the cursor of the next page.

    Most urgent first (immediate danger on top), then the longest waiting. Keyset pagination on
    (urgency, received_at, id): the cursor is the opaque code of the last report shown.
    """
    reports = reports_for_user(membership)
    if filters.status == "open":
        reports = reports.open()
    elif filters.status:
        reports = reports.filter(status=filters.status)
    if filters.channel:
        reports = reports.filter(channel=filters.channel)
    if filters.assigned_to_me and membership is not None:
        reports = reports.filter(assigned_to_id=membership.user_id)
    if after:
        last = (
            reports_for_user(membership)
            .filter(code=after)
            .values_list("urgency", "received_at", "id")
            .first()
        )
        if last is not None:
            urgency, received_at, last_id = last
            reports = reports.filter(
                Q(urgency__gt=urgency)
                | Q(urgency=urgency, received_at__gt=received_at)
                | Q(urgency=urgency, received_at=received_at, id__gt=last_id)
            )
    rows = list(
        reports.select_related("assigned_to", "location_country").in_queue_order()[: page_size + 1]
    )
    next_cursor = rows[page_size - 1].code if len(rows) > page_size else None
    return rows[:page_size], next_cursor


# Possible duplicates

DUPLICATE_REASONS = {
    "phone": _("same phone number"),
    "document": _("same document number"),
    "names": _("similar names"),
    "place": _("same place, within three days"),
}
PLACE_WINDOW = datetime.timedelta(days=3)
MAX_MATCHES = 20


@dataclass
class Match:
    """A report or person that may be about the same people, and why."""

    record: Report | Person
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(DUPLICATE_REASONS[reason]) for reason in self.reasons]


@dataclass
class Duplicates:
    reports: list[Match]
    people: list[Match]

    def __bool__(self) -> bool:
        return bool(self.reports or self.people)


def _hashed(organisation_code: str, keys: Iterable[str]) -> list[int]:
    # Both blind-index keys while a key rotation rebuilds the tokens: nobody goes missing.
    scope_keys = crypto.key_ring().index_keys_for(organisation_code)
    return sorted({crypto.blind_index_with(scope, key) for scope in scope_keys for key in keys})


def possible_duplicates_for_user(membership: Membership | None, report: Report) -> Duplicates:
    """Other reports of the organisation, and people on file, that may be the same people.

    A match shares a phone or document number, or the sound of two name parts, or (reports
    only) the same country and city within three days.
    """
    duplicates = Duplicates([], [])
    if not can_see_intake(membership):
        return duplicates
    assert membership is not None
    Kind = ReportSearchToken.Kind
    keys = report_search_keys(report)
    code = report.organisation.code
    phone, document = _hashed(code, keys[Kind.PHONE]), _hashed(code, keys[Kind.DOCUMENT])
    name, place = _hashed(code, keys[Kind.NAME]), _hashed(code, keys[Kind.PLACE])

    reasons: dict[int, list[str]] = {}
    tokens = ReportSearchToken.objects.filter(organisation_id=report.organisation_id).exclude(
        report_id=report.pk
    )
    for reason, kind, hashed in (
        ("phone", Kind.PHONE, phone),
        ("document", Kind.DOCUMENT, document),
    ):
        if hashed:
            for report_id in _distinct(tokens.filter(kind=kind, token__in=hashed), "report_id"):
                reasons.setdefault(report_id, []).append(reason)
    if len(name) >= 2:
        for report_id in _sharing_two(tokens.filter(kind=Kind.NAME, token__in=name), "report_id"):
            reasons.setdefault(report_id, []).append("names")
    if place:
        nearby = tokens.filter(
            kind=Kind.PLACE,
            token__in=place,
            report__received_at__gte=report.received_at - PLACE_WINDOW,
            report__received_at__lte=report.received_at + PLACE_WINDOW,
        )
        for report_id in _distinct(nearby, "report_id"):
            reasons.setdefault(report_id, []).append("place")
    found = reports_for_user(membership).filter(id__in=list(reasons)).order_by("-received_at")
    duplicates.reports = [Match(other, reasons[other.pk]) for other in found[:MAX_MATCHES]]

    if can_see_people(membership):
        people_reasons: dict[int, list[str]] = {}
        person_tokens = PersonSearchToken.objects.filter(organisation_id=report.organisation_id)
        for reason, hashed in (("phone", phone), ("document", document)):
            if hashed:
                for person_id in _distinct(person_tokens.filter(token__in=hashed), "person_id"):
                    people_reasons.setdefault(person_id, []).append(reason)
        if len(name) >= 2:
            for person_id in _sharing_two(person_tokens.filter(token__in=name), "person_id"):
                people_reasons.setdefault(person_id, []).append("names")
        people = people_for_user(membership).filter(id__in=list(people_reasons)).order_by("-id")
        duplicates.people = [
            Match(person, people_reasons[person.pk]) for person in people[:MAX_MATCHES]
        ]
    return duplicates


def _distinct(rows: QuerySet, column: str) -> list[int]:
    return list(rows.values_list(column, flat=True).distinct().order_by(column)[:200])


def _sharing_two(rows: QuerySet, column: str) -> list[int]:
    """Records with at least two of the looked-up name tokens."""
    return list(
        rows.values(column)
        .annotate(shared=Count("token", distinct=True))
        .filter(shared__gte=2)
        .order_by(column)
        .values_list(column, flat=True)[:200]
    )


def cases_of_report_for_user(membership: Membership | None, report: Report) -> list[Case]:
    """The cases opened from the report (references and statuses are no identities)."""
    if not can_see_intake(membership):
        return []
    return [
        link.case
        for link in report.case_links.select_related("case__person", "case__assigned_to").order_by(
            "id"
        )
    ]


def attachments_of_report_for_user(
    membership: Membership | None, report: Report
) -> list[ReportAttachment]:
    """The files that came with the report, kept or refused (their content is not loaded)."""
    if not can_see_intake(membership):
        return []
    return list(report.attachments.defer("content").order_by("id"))


def get_attachment_for_user(membership: Membership | None, code: str) -> ReportAttachment:
    """Return a kept file (not refused, not erased) of a report the member may see."""
    if not can_see_intake(membership):
        raise Http404
    assert membership is not None
    attachment = (
        ReportAttachment.objects.select_related("report")
        .filter(
            code=code,
            report__organisation_id=membership.organisation_id,
            refused="",
            erased_at__isnull=True,
        )
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def reports_with_phone_for_user(
    membership: Membership | None, phone: str, *, limit: int = 10
) -> list[Report]:
    """The member's reports that carry this phone number (reporter's or a subject's)."""
    normalised = names.normalise_phone(phone or "")
    if not normalised or not can_see_intake(membership):
        return []
    assert membership is not None
    hashed = _hashed(membership.organisation.code, [f"tel:{normalised}"])
    report_ids = ReportSearchToken.objects.filter(
        organisation_id=membership.organisation_id,
        kind=ReportSearchToken.Kind.PHONE,
        token__in=hashed,
    ).values("report_id")
    return list(
        reports_for_user(membership).filter(id__in=report_ids).order_by("-received_at")[:limit]
    )


# Hotline calls


def calls_for_user(membership: Membership | None) -> QuerySet[HotlineCall]:
    """Return the hotline calls the member may see."""
    if not can_see_intake(membership):
        return HotlineCall.objects.none()
    assert membership is not None
    return HotlineCall.objects.filter(organisation_id=membership.organisation_id)


def get_call_for_user(
    membership: Membership | None, code: str, *, write: bool = False
) -> HotlineCall:
    """Return the call with ``code`` if the member may see it (or change it, with ``write``)."""
    if write and not can_edit_intake(membership):
        raise Http404
    call = (
        calls_for_user(membership)
        .select_related("organisation", "operator", "report")
        .filter(code=code)
        .first()
    )
    if call is None:
        raise Http404
    return call


def earlier_calls_for_user(
    membership: Membership | None, call: HotlineCall, *, limit: int = 10
) -> tuple[int, list[HotlineCall]]:
    """Calls from the same number before this one: how many, and the latest few."""
    if not call.caller_phone or not can_see_intake(membership):
        return 0, []
    normalised = names.normalise_phone(call.caller_phone)
    hashed = _hashed(call.organisation.code, [f"tel:{normalised}"])
    earlier = (
        calls_for_user(membership)
        .filter(caller_phone_token__in=hashed)
        .filter(Q(started_at__lt=call.started_at) | Q(started_at=call.started_at, id__lt=call.pk))
    )
    return earlier.count(), list(
        earlier.select_related("operator", "report").order_by("-started_at", "-id")[:limit]
    )


def recent_calls_for_user(membership: Membership | None, *, limit: int = 50) -> list[HotlineCall]:
    """The latest calls, newest first (no phone numbers or notes are shown in the list)."""
    return list(
        calls_for_user(membership)
        .select_related("operator", "report")
        .order_by("-started_at", "-id")[:limit]
    )


def call_counts_for_user(
    membership: Membership | None, *, since: datetime.datetime
) -> tuple[int, int]:
    """(real contacts, other calls) since a moment: silent, prank, abusive and wrong-number
    calls are counted apart."""
    calls = calls_for_user(membership).filter(started_at__gte=since)
    other = calls.filter(category__in=HotlineCall.NOT_CONTACTS).count()
    return calls.count() - other, other


# Group incidents


def get_group_incident_for_user(
    membership: Membership | None, code: str, *, write: bool = False
) -> GroupIncident:
    """Return the group incident if the member may see its report (or add people, ``write``)."""
    if write and not can_open_cases_from_reports(membership):
        raise Http404
    if not can_see_intake(membership):
        raise Http404
    assert membership is not None
    incident = (
        GroupIncident.objects.select_related("report", "country", "report__organisation")
        .filter(organisation_id=membership.organisation_id, code=code)
        .first()
    )
    if incident is None:
        raise Http404
    return incident


def group_members_for_user(
    membership: Membership | None, incident: GroupIncident
) -> list[GroupIncidentMember]:
    """The people added to a group incident so far, through their cases, oldest first."""
    if not can_see_intake(membership):
        return []
    return list(incident.members.select_related("case__person", "case__assigned_to").order_by("id"))


# The public status page

REFERENCE_PATTERN = re.compile(r"^\s*([A-Za-z]{2,10})\s*-\s*R\s*-\s*(\d{4})\s*-\s*(\d{1,6})\s*$")


def normalise_reference(text: str) -> str | None:
    """``tum-r-2026-123`` → ``TUM-R-2026-000123``; None when it is not a report reference."""
    match = REFERENCE_PATTERN.match(text or "")
    if match is None:
        return None
    prefix, year, number = match.groups()
    return f"{prefix.upper()}-R-{year}-{int(number):06d}"


def public_stage_for(reference: str, pin: str) -> str | None:
    """Return the public stage of the report with this reference and PIN, else None.

    A wrong reference costs the same hashing work as a wrong PIN, so neither the answer nor
    its timing tells whether a reference exists.
    """
    normalised = normalise_reference(reference)
    report = (
        Report.objects.filter(reference=normalised).only("status", "pin_hash").first()
        if normalised
        else None
    )
    if report is None:
        hash_pin(pin)
        return None
    if not pin_matches(pin, report.pin_hash):
        return None
    return report.public_stage


def now() -> datetime.datetime:
    return timezone.now()
