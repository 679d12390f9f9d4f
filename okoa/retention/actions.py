"""Set retention periods; request, decide and carry out the erasure of identities.

Contract:

* Every action is one transaction, checks its inputs before writing anything (a ValidationError
  keyed by form field names, nothing saved) and leaves change records that name fields, never
  values.
* ``erase_person_data`` empties, in one transaction, what the lists below name and keeps what
  statistics count. A failure anywhere rolls the whole erasure back: nothing is half-erased.
  Erasing an erased person is a no-op. Dependants are separate people: they are erased only
  when a request says so (``include_dependants``) or by ``apply_retention`` (see
  ``RetentionPolicy.people_due_for_erasure``).
* Approving an erasure request erases at once, in the same transaction. Only a member who may
  supervise in the request's organisation decides, and never the member who asked (four eyes;
  the database refuses it too). Only the member who asked withdraws.
* ``wipe_caseless_report`` wipes, in one transaction, a report that finished (closed or referred
  elsewhere) without a case longer ago than the organisation's report retention period, as
  erasure wipes a report nobody is left to need (below), and writes an ``Erasure`` row for it;
  ``wipe_unreported_call`` empties the caller's number, its token and the notes of a hotline
  call that never became a report. Both check again, under lock, that the record still
  qualifies (it may have been reopened or given a case since it was listed).

What erasure does (one person):

* the person's identifiers (``PERSON_FIELDS``) are emptied and their search tokens deleted, so
  no search finds them; ``Person.erased_at`` is set and an ``Erasure`` row says why;
* each of their cases loses its narrative (``CASE_FIELDS``), its notes (deleted: the timeline
  keeps a dated "Note added" entry per note, which is what activity counts need), the free text
  of its timeline entries (``CASE_EVENT_FIELDS``), and the free text of its screenings
  (``SCREENING_FIELDS``, ``SCREENING_ANSWER_FIELDS``; answers, suggestions and decisions stay);
* each of their cases also loses what the other apps keep about the person (the field maps
  below name every field): the notes of needs assessments and follow-up visits, the
  descriptions of care goals, the names of services' outside providers (a private counsellor,
  a family, a child's school), the legal process's occurrence book and court case numbers, the
  business's location and the grant's payment references (numbers that lead to police, court
  and M-Pesa or bank records naming the person), the notes and over-capacity reasons of shelter
  stays (a dependant's stay under the case included), the reasons given for corrections on a
  rescue operation's manifest, and, through ``okoa.referrals.actions.erase_referral_details``,
  the referrals' snapshots, reasons and notes and the words of the consents. A referral row is
  the sender's and the receiver's at once: the receiving organisation's copy goes with it. A
  message to another installation still waiting in the outbox that carries such details
  (``OutboundMessage.body``) is emptied and never delivered; one that carries only codes and
  categories (a withdrawal) still goes. A referral whose details may have reached another
  installation gets a ``referral.erased`` message (queued by ``erase_referral_details`` in
  this transaction, delivered like any message): that installation wipes its copy;
* the person's shelter stays under another person's case (a dependant's) lose their notes too,
  and the services for them under that case their outside provider's name;
* a rescue operation the person's case is on belongs to everybody on its manifest: its
  partners' notes, and the names of the families paying (``OPERATION_PARTNER_FIELDS``,
  ``FAMILY_PARTNER_FIELDS``), go when nobody on the manifest is left un-erased; a family's name
  that shares a name with the person goes at once;
* each intake report a case was opened from loses the person's own entries: subject names made
  only of the person's name parts, the person's phone and document numbers, the reporter's
  name, phone and contacts when the reporter is the person (and the phone of the hotline call
  it came from, and the number its acknowledgement SMS went to), and the files that name the
  person (two of their name parts, or a phone or document number of theirs). When no case
  opened from the report belongs to anybody left un-erased, the whole report's personal data
  goes, wherever the channel kept it (``REPORT_FIELDS``, ``HOTLINE_CALL_FIELDS``,
  ``GROUP_INCIDENT_FIELDS``; the name and content of every emailed file, ``ATTACHMENT_FIELDS``,
  the row kept as erased; the number and text of every SMS sent about it,
  ``OUTBOUND_SMS_FIELDS``, an unsent one no longer sent; the last USSD screen,
  ``USSD_SESSION_FIELDS``), unless the report is still open with a group incident (more people
  of the group may yet be added). An SMS report's text and number are its narrative and
  reporter's phone; an email's sender, its reporter's name and contact. Files are kept in the
  database only, never on disk; the copy left in the intake mailbox is the mailbox's to delete;
* kept: sex, year of birth, nationality, languages, county and sub-county of origin,
  disability, dependant links; every case attribute (status, dates, trafficking details,
  countries, exploitation types); screening answers and conclusions; needs levels, goals'
  areas, statuses, progress and dates, services (kinds, counts, provider organisations,
  outcomes), follow-up visits' dates, wellbeing and risk; the legal process's stage, police
  station, court, P3 status, role and hearing dates; the business's type, budget, status and
  checks, the amounts, dates and channels of payments; shelter stays' shelter, dates and
  reasons for leaving; manifest statuses; operation partners' roles and the names of partner
  organisations; referrals' statuses, kinds, dates, sections and answer categories; the
  categories a timeline keeps as a ``reason`` (why a stay ended, why a referral was declined);
  report channel, status, urgency, country, number of people; how many files came with it,
  their types, sizes and refusals; the SMS's status and dates; the gateways' message ids and
  the hash of an email's Message-ID (so that a message delivered again is still recognised,
  and not imported again);
  the timeline and audit trail (codes and field names only); the erasure request's reason and
  decision note (the record of why it happened: the form asks not to name the person there);
* not the person's, so never touched: shelters' addresses, notification contacts and queued
  notifications (an event's label, a code and a link), staff second-factor keys, the reasons
  given for exports, the names of an operation's partner organisations outside Okoa (an
  embassy, an agency: see ``test_every_encrypted_field_is_wiped_or_kept_on_purpose``).
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.audit.actions import record_change
from okoa.care.models import (
    BusinessPlan,
    CareGoal,
    CarePlan,
    CareService,
    Disbursement,
    FollowUpVisit,
    LegalProcess,
    NeedsAssessment,
)
from okoa.cases.models import Case, CaseEvent, CaseNote
from okoa.exchange.models import OutboundMessage
from okoa.intake.actions import index_report
from okoa.intake.models import (
    GroupIncident,
    HotlineCall,
    OutboundSms,
    Report,
    ReportAttachment,
    ReportCase,
    UssdSession,
)
from okoa.lib import names
from okoa.operations.models import ManifestEntry, ManifestEvent, Operation, OperationPartner
from okoa.people.models import Person, PersonSearchToken
from okoa.referrals.actions import erase_referral_details
from okoa.referrals.models import Referral
from okoa.retention.models import (
    MAX_RETENTION_DAYS,
    MIN_REPORT_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
    Erasure,
    ErasureRequest,
    RetentionPolicy,
    caseless_reports_finished_before,
)
from okoa.screening.models import Screening, ScreeningAnswer
from okoa.shelters.models import ShelterStay

# What erasure empties, field by field, with the empty value each field gets.
PERSON_FIELDS: dict[str, Any] = {
    "given_name": "",
    "family_name": "",
    "other_names": [],
    "date_of_birth": None,
    "phone_numbers": [],
    "national_id_number": "",
    "passport_number": "",
}
CASE_FIELDS: dict[str, Any] = {"narrative": ""}
# The timeline's free text (the reason given for a status change), encrypted. ``data`` holds
# statuses, codes and categories only (why a stay ended, why a referral was declined):
# statistics count them, so they stay.
CASE_EVENT_FIELDS: dict[str, Any] = {"text": ""}
SCREENING_FIELDS: dict[str, Any] = {"decision_reason": ""}
SCREENING_ANSWER_FIELDS: dict[str, Any] = {"note": ""}
NEEDS_ASSESSMENT_FIELDS: dict[str, Any] = {"notes": ""}
CARE_GOAL_FIELDS: dict[str, Any] = {"description": ""}
FOLLOW_UP_VISIT_FIELDS: dict[str, Any] = {"notes": ""}
# Encrypted by ``care``: each number leads to police, court or payment records that name the
# person; the police station, the court and the stage stay for statistics.
LEGAL_PROCESS_FIELDS: dict[str, Any] = {"ob_number": "", "court_case_number": ""}
BUSINESS_PLAN_FIELDS: dict[str, Any] = {"location": ""}
DISBURSEMENT_FIELDS: dict[str, Any] = {"reference": ""}
# Encrypted by ``care``: an outside provider may be a private counsellor, a family or a child's
# school; the kind of service, its counts and a provider organisation stay.
CARE_SERVICE_FIELDS: dict[str, Any] = {"provider_name": ""}
SHELTER_STAY_FIELDS: dict[str, Any] = {"over_capacity_reason": "", "check_out_note": ""}
# Encrypted by ``operations``: a correction's reason is somebody's words about the person.
MANIFEST_EVENT_FIELDS: dict[str, Any] = {"reason": ""}
# Encrypted by ``operations``: a partner's notes may name people on the manifest, and a family
# paying is people. Both belong to the whole operation (see ``_wipe_operation_partners``).
OPERATION_PARTNER_FIELDS: dict[str, Any] = {"notes": ""}
FAMILY_PARTNER_FIELDS: dict[str, Any] = {"external_name": ""}
# Emptied by ``okoa.referrals.actions.erase_referral_details`` (the referrals app owns its rows;
# listed here so that the test of every encrypted field sees them placed).
REFERRAL_FIELDS = ("shared", "reason_note", "decline_note", "outcome_note", "withdraw_reason")
CONSENT_FIELDS = ("given_by_details", "override_reason")
# A message to another installation about an erased case's referral still goes when its body
# holds nothing but these (codes, categories, dates: a withdrawal); any other key may carry the
# person's details, so the message is emptied and never delivered.
MESSAGE_KEYS_WITHOUT_DETAILS = frozenset(
    {
        "referral",
        "receiver_referral",
        "status",
        "urgency",
        "service_kind",
        "sections",
        "sent_at",
        "respond_by",
    }
)
MESSAGE_ERASED = "erased before delivery"
REPORT_FIELDS: dict[str, Any] = {
    "reporter_name": "",
    "reporter_phone": "",
    "reporter_contact": "",
    "safe_contact": "",
    "subject_names": [],
    "subject_phone_numbers": [],
    "subject_document_numbers": [],
    "location_city": "",
    "location_details": "",
    "narrative": "",
    "employer": "",
    "recruitment_agency": "",
    "outcome_note": "",
    "referred_to": "",
}
REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_contact", "safe_contact")
HOTLINE_CALL_FIELDS: dict[str, Any] = {"caller_phone": "", "caller_phone_token": None, "notes": ""}
GROUP_INCIDENT_FIELDS: dict[str, Any] = {"location": "", "description": ""}
ATTACHMENT_FIELDS: dict[str, Any] = {"file_name": "", "content": b""}
OUTBOUND_SMS_FIELDS: dict[str, Any] = {"to": "", "message": ""}
USSD_SESSION_FIELDS: dict[str, Any] = {"answer": ""}

REASON_LIMIT = 5000


# Retention policy


class Unchanged(enum.Enum):
    """A period left as it is (the caller did not give it)."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED


def _days_error(days: int | None, minimum: int) -> list[str]:
    if days is None or minimum <= days <= MAX_RETENTION_DAYS:
        return []
    return [
        _("Enter a number of days between %(min)d and %(max)d, or leave it empty.")
        % {"min": minimum, "max": MAX_RETENTION_DAYS}
    ]


@transaction.atomic
def set_retention_policy(
    organisation: Organisation,
    *,
    closed_case_retention_days: int | None,
    caseless_report_retention_days: int | Literal[Unchanged.UNCHANGED] | None = UNCHANGED,
    by: User | None,
) -> RetentionPolicy:
    """Set how many days identities are kept after the last case closed, and reports that
    finished without a case (None: no limit; the reports' period stays as it is unless given,
    two years for a new policy)."""
    periods: dict[str, int | None] = {"closed_case_retention_days": closed_case_retention_days}
    if caseless_report_retention_days is not UNCHANGED:
        periods["caseless_report_retention_days"] = caseless_report_retention_days
    errors = {
        name: messages
        for name, messages in (
            (
                "closed_case_retention_days",
                _days_error(closed_case_retention_days, MIN_RETENTION_DAYS),
            ),
            (
                "caseless_report_retention_days",
                _days_error(
                    periods.get("caseless_report_retention_days"), MIN_REPORT_RETENTION_DAYS
                ),
            ),
        )
        if messages
    }
    if errors:
        raise ValidationError(errors)
    policy, created = RetentionPolicy.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={**periods, "updated_by": by}
    )
    if created:
        changed = [
            name
            for name in ("closed_case_retention_days", "caseless_report_retention_days")
            if getattr(policy, name) is not None
        ]
    else:
        changed = [name for name, days in periods.items() if getattr(policy, name) != days]
        if not changed:
            return policy
        for name in changed:
            setattr(policy, name, periods[name])
        policy.updated_by = by
        policy.updated_at = timezone.now()
        policy.save(update_fields=[*changed, "updated_by", "updated_at"])
    record_change(
        organisation_id=organisation.pk,
        record_kind="retention_policy",
        record_code=organisation.code,
        action="created" if created else "updated",
        fields=changed,
        by=by,
    )
    return policy


# Erasure requests


def _member_can(user: User, organisation_id: int, capability: Capability) -> bool:
    membership = (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .select_related("organisation")
        .first()
    )
    return bool(
        membership
        and membership.organisation.is_active
        and user.is_active
        and membership.can(capability)
    )


@transaction.atomic
def request_erasure(
    person: Person, *, reason: str, by: User, include_dependants: bool = False
) -> ErasureRequest:
    """Ask for ``person``'s identity to be erased; a supervisor decides."""
    reason = (reason or "").strip()
    if not _member_can(by, person.organisation_id, Capability.EDIT_CASES):
        raise ValidationError(_("Your role does not include asking for erasures."))
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.erased_at is not None:
        raise ValidationError(_("This person's identity is already erased."))
    if ErasureRequest.objects.filter(person=current, status=ErasureRequest.Status.PENDING).exists():
        raise ValidationError(
            _("An erasure request for this person is already waiting for a decision.")
        )
    if not reason:
        raise ValidationError({"reason": [_("Say why this identity should be erased.")]})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": [_("Write at most %(limit)d characters.") % {"limit": REASON_LIMIT}]}
        )
    erasure_request = ErasureRequest.objects.create(
        organisation_id=current.organisation_id,
        person=current,
        include_dependants=include_dependants,
        requested_by=by,
        reason=reason,
    )
    fields = ["person", "reason", *(["include_dependants"] if include_dependants else [])]
    record_change(
        organisation_id=current.organisation_id,
        record_kind="erasure_request",
        record_code=erasure_request.code,
        action="created",
        fields=fields,
        by=by,
    )
    return erasure_request


def _lock(erasure_request: ErasureRequest) -> ErasureRequest:
    return (
        ErasureRequest.objects.select_for_update()
        .select_related("person")
        .get(pk=erasure_request.pk)
    )


def _check_decider(erasure_request: ErasureRequest, by: User) -> None:
    if by.pk == erasure_request.requested_by_id:
        raise ValidationError(
            _("You asked for this erasure: another supervisor or administrator must decide it.")
        )
    if not _member_can(by, erasure_request.organisation_id, Capability.SUPERVISE):
        raise ValidationError(_("Only a supervisor or an administrator decides erasures."))


def _move(erasure_request: ErasureRequest, *, to: str, by: User, note: str = "") -> None:
    if not erasure_request.can_move_to(to):
        raise ValidationError(_("This request is no longer waiting for a decision."))
    if len(note) > REASON_LIMIT:
        raise ValidationError(
            {"note": [_("Write at most %(limit)d characters.") % {"limit": REASON_LIMIT}]}
        )
    erasure_request.status = to
    erasure_request.decided_by = by
    erasure_request.decided_at = timezone.now()
    erasure_request.decision_note = note
    erasure_request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record_change(
        organisation_id=erasure_request.organisation_id,
        record_kind="erasure_request",
        record_code=erasure_request.code,
        action=to,
        fields=["status", *(["decision_note"] if note else [])],
        by=by,
    )


@transaction.atomic
def approve_erasure(erasure_request: ErasureRequest, *, by: User, note: str = "") -> list[Person]:
    """Approve the request and erase at once; return the people erased now.

    The person, and their dependants when the request says so, are erased in this transaction:
    if anything fails, the request stays pending and nothing is erased.
    """
    current = _lock(erasure_request)
    _check_decider(current, by)
    _move(current, to=ErasureRequest.Status.APPROVED, by=by, note=(note or "").strip())
    erased = []
    if erase_person_data(
        current.person, by=by, reason_code=Erasure.Reason.REQUEST, request=current
    ):
        erased.append(current.person)
    if current.include_dependants:
        for dependant in Person.objects.filter(parent_id=current.person_id).order_by("id"):
            reason_code = Erasure.Reason.DEPENDANT
            if erase_person_data(dependant, by=by, reason_code=reason_code, request=current):
                erased.append(dependant)
    erasure_request.refresh_from_db()
    return erased


@transaction.atomic
def reject_erasure(erasure_request: ErasureRequest, *, by: User, note: str) -> None:
    """Reject the request, saying why; nothing is erased."""
    note = (note or "").strip()
    current = _lock(erasure_request)
    _check_decider(current, by)
    if not note:
        raise ValidationError({"note": [_("Say why the request is rejected.")]})
    _move(current, to=ErasureRequest.Status.REJECTED, by=by, note=note)
    erasure_request.refresh_from_db()


@transaction.atomic
def withdraw_erasure(erasure_request: ErasureRequest, *, by: User) -> None:
    """Withdraw one's own request while it waits for a decision."""
    current = _lock(erasure_request)
    if by.pk != current.requested_by_id:
        raise ValidationError(_("Only the member who asked can withdraw the request."))
    _move(current, to=ErasureRequest.Status.WITHDRAWN, by=by)
    erasure_request.refresh_from_db()


# Erasure


@dataclass(frozen=True)
class Identity:
    """What identifies a person, normalised, read before the wipe: to find their entries in
    reports written by others (never stored, never logged)."""

    name_parts: frozenset[str]
    phones: frozenset[str]
    documents: frozenset[str]

    @classmethod
    def of(cls, person: Person) -> Identity:
        texts = [person.given_name, person.family_name, *(person.other_names or [])]
        numbers = (person.national_id_number, person.passport_number)
        return cls(
            name_parts=frozenset(part for text in texts for part in names.name_parts(text or "")),
            phones=frozenset(
                phone
                for phone in (names.normalise_phone(text) for text in person.phone_numbers or [])
                if phone
            ),
            documents=frozenset(
                number
                for number in (names.normalise_document_number(text or "") for text in numbers)
                if number
            ),
        )

    def is_name(self, text: str) -> bool:
        parts = set(names.name_parts(text or ""))
        return bool(parts) and parts <= self.name_parts

    def is_phone(self, text: str) -> bool:
        return bool(text) and names.normalise_phone(text) in self.phones

    def is_document(self, text: str) -> bool:
        return bool(text) and names.normalise_document_number(text) in self.documents

    def shares_a_name_part(self, text: str) -> bool:
        """Whether a name (a family's: "Familia ya Jeruto") has one of the person's name parts."""
        return bool(set(names.name_parts(text or "")) & self.name_parts)

    def is_named_in(self, text: str) -> bool:
        """Whether a short text (a file name) names the person: two of their name parts (their
        only one, if they have one), or one of their phone or document numbers."""
        needed = min(2, len(self.name_parts))
        if needed and len(set(names.name_parts(text or "")) & self.name_parts) >= needed:
            return True
        words = re.split(r"[^0-9A-Za-z+]+", text or "")
        return any(self.is_phone(word) or self.is_document(word) for word in words if word)


@transaction.atomic
def erase_person_data(
    person: Person,
    *,
    by: User | None,
    reason_code: str,
    request: ErasureRequest | None = None,
) -> Erasure | None:
    """Erase the person's identity and the free text about them; return the record of it
    (``Erasure.fields`` names the person's fields wiped).

    ``by`` None is the retention command. Erasing an erased person is a no-op (returns None).
    """
    if reason_code not in Erasure.Reason.values:
        raise ValueError(f"Unknown erasure reason: {reason_code}")
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.erased_at is not None:
        return None
    identity = Identity.of(current)
    now = timezone.now()
    wiped = _wipe_person(current, now=now)
    cases = list(Case.objects.filter(person=current).order_by("id"))
    for case in cases:
        _wipe_case(case, now=now, by=by)
    _wipe_stays_under_other_cases(current, by=by)
    _wipe_services_under_other_cases(current, by=by)
    _wipe_operation_partners(current, identity, by=by)
    _wipe_reports(cases, identity, by=by)
    erasure = Erasure.objects.create(
        person=current,
        organisation_id=current.organisation_id,
        at=now,
        by=by,
        reason=reason_code,
        request=request,
        fields=wiped,
    )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="person",
        record_code=current.code,
        action="erased",
        fields=wiped,
        by=by,
    )
    person.refresh_from_db()
    return erasure


def _wipe_person(person: Person, *, now: Any) -> list[str]:
    wiped = [name for name in PERSON_FIELDS if getattr(person, name) not in (None, "", [])]
    for name, empty in PERSON_FIELDS.items():
        setattr(person, name, empty)
    person.erased_at = now
    person.updated_at = now
    person.version += 1
    person.save(update_fields=[*PERSON_FIELDS, "erased_at", "updated_at", "version"])
    if PersonSearchToken.objects.filter(person=person).delete()[0]:
        wiped.append("search_tokens")
    return wiped


def _wipe_case(case: Case, *, now: Any, by: User | None) -> None:
    wiped: list[str] = []
    narrative = Case.objects.filter(pk=case.pk).exclude(**CASE_FIELDS)
    if narrative.update(**CASE_FIELDS, version=F("version") + 1, updated_at=now):
        wiped.extend(CASE_FIELDS)
    if CaseNote.objects.filter(case=case).delete()[0]:
        wiped.append("notes")
    wiped.extend(_empty(CaseEvent.objects.filter(case=case), CASE_EVENT_FIELDS, "events"))
    screenings = Screening.objects.filter(case=case)
    if screenings.exclude(**SCREENING_FIELDS).update(**SCREENING_FIELDS):
        wiped.extend(f"screenings.{name}" for name in SCREENING_FIELDS)
    answers = ScreeningAnswer.objects.filter(screening__case=case)
    if answers.exclude(**SCREENING_ANSWER_FIELDS).update(**SCREENING_ANSWER_FIELDS):
        wiped.extend(f"screenings.answers.{name}" for name in SCREENING_ANSWER_FIELDS)
    wiped.extend(_wipe_care(case, now=now, by=by))
    wiped.extend(
        _empty(ShelterStay.objects.filter(case=case), SHELTER_STAY_FIELDS, "shelter_stays")
    )
    manifest_events = ManifestEvent.objects.filter(entry__case=case)
    wiped.extend(_empty(manifest_events, MANIFEST_EVENT_FIELDS, "manifest_events"))
    # The referrals app writes a change record of its own for each referral and consent.
    if erase_referral_details(case, by=by):
        wiped.append("referrals")
    if _wipe_waiting_messages(case, by=by):
        wiped.append("referrals.exchange_messages")
    if wiped:
        record_change(
            organisation_id=case.organisation_id,
            record_kind="case",
            record_code=case.code,
            action="erased",
            fields=wiped,
            by=by,
        )


def _empty(rows: QuerySet[Any], fields: dict[str, Any], prefix: str = "") -> list[str]:
    """Empty ``fields`` in ``rows``; return the names (``prefix.field``) of those that held
    something."""
    held = [name for name, empty in fields.items() if rows.exclude(**{name: empty}).exists()]
    if held:
        holding = Q()
        for name in held:
            holding |= ~Q(**{name: fields[name]})
        rows.filter(holding).update(**fields)
    return [f"{prefix}.{name}" if prefix else name for name in held]


def _empty_versioned(
    rows: QuerySet[Any],
    fields: dict[str, Any],
    *,
    kind: str,
    code: Callable[[Any], str],
    case: Case,
    by: User | None,
) -> list[str]:
    """Empty ``fields`` row by row; return the names of those that held something.

    Each row changed gets a new version and a change record of its own (``kind``, ``code``),
    which is what care's stale-edit check reads: a page opened before the erasure is refused,
    naming the fields, instead of writing the old words back.
    """
    wiped: list[str] = []
    for row in rows.order_by("pk"):
        held = [name for name, empty in fields.items() if getattr(row, name) != empty]
        if not held:
            continue
        type(row).objects.filter(pk=row.pk).update(**fields, version=F("version") + 1)
        _record_erased(case.organisation_id, kind, code(row), held, by)
        wiped += [name for name in held if name not in wiped]
    return wiped


def _wipe_care(case: Case, *, now: Any, by: User | None) -> list[str]:
    """Empty the case's care notes, goals' words, legal numbers and payment references."""
    wiped = _empty(
        NeedsAssessment.objects.filter(case=case), NEEDS_ASSESSMENT_FIELDS, "needs_assessments"
    )
    goals = _empty_versioned(
        CareGoal.objects.filter(plan__case=case),
        CARE_GOAL_FIELDS,
        kind="care_goal",
        code=lambda goal: goal.code,
        case=case,
        by=by,
    )
    if goals:
        # A goal's change is a change of its plan too (the plan's page checks the plan's version).
        for plan in CarePlan.objects.filter(case=case):
            CarePlan.objects.filter(pk=plan.pk).update(version=F("version") + 1, updated_at=now)
            _record_erased(case.organisation_id, "care_plan", plan.code, ["goals"], by)
    wiped += [f"care_goals.{name}" for name in goals]
    visits = _empty_versioned(
        FollowUpVisit.objects.filter(case=case),
        FOLLOW_UP_VISIT_FIELDS,
        kind="follow_up_visit",
        code=lambda visit: visit.code,
        case=case,
        by=by,
    )
    wiped += [f"follow_up_visits.{name}" for name in visits]
    legal = _empty_versioned(
        LegalProcess.objects.filter(case=case),
        LEGAL_PROCESS_FIELDS,
        kind="legal_process",
        code=lambda _legal: case.code,  # care names the legal process by its case
        case=case,
        by=by,
    )
    wiped += [f"legal_process.{name}" for name in legal]
    services = _empty_versioned(
        CareService.objects.filter(plan__case=case),
        CARE_SERVICE_FIELDS,
        kind="care_service",
        code=lambda service: service.code,
        case=case,
        by=by,
    )
    wiped += [f"care_services.{name}" for name in services]
    wiped += _empty(BusinessPlan.objects.filter(case=case), BUSINESS_PLAN_FIELDS, "business_plan")
    wiped += _empty(
        Disbursement.objects.filter(plan__case=case), DISBURSEMENT_FIELDS, "disbursements"
    )
    return wiped


def _wipe_stays_under_other_cases(person: Person, *, by: User | None) -> None:
    """Empty the notes of the person's stays under somebody else's case (a dependant's)."""
    stays = ShelterStay.objects.filter(person=person).exclude(case__person=person).order_by("id")
    for stay in stays.select_related("case"):
        fields = _empty(ShelterStay.objects.filter(pk=stay.pk), SHELTER_STAY_FIELDS)
        if fields:
            _record_erased(stay.case.organisation_id, "shelter_stay", stay.code, fields, by)


def _wipe_services_under_other_cases(person: Person, *, by: User | None) -> None:
    """Empty the outside provider's name of the person's services under somebody else's case
    (a dependant's, under the survivor's plan)."""
    services = (
        CareService.objects.filter(beneficiary=person)
        .exclude(plan__case__person=person)
        .exclude(**CARE_SERVICE_FIELDS)
        .select_related("plan__case")
        .order_by("id")
    )
    for service in services:
        CareService.objects.filter(pk=service.pk).update(
            **CARE_SERVICE_FIELDS, version=F("version") + 1
        )
        fields = list(CARE_SERVICE_FIELDS)
        _record_erased(service.plan.case.organisation_id, "care_service", service.code, fields, by)


def _wipe_operation_partners(person: Person, identity: Identity, *, by: User | None) -> None:
    """Empty what the partners of the person's rescue operations say about people.

    A partner belongs to the whole operation, not to one person on its manifest, so its notes
    stay while somebody on the manifest is not erased (as a report's narrative stays while it
    serves somebody). A family's name is people's: it goes with the last person too, or at once
    when it shares a name part with the person erased. An organisation's name stays.
    """
    operations = Operation.objects.filter(entries__case__person=person).distinct().order_by("id")
    for operation in operations:
        partners = OperationPartner.objects.filter(operation=operation)
        families = partners.filter(
            organisation__isnull=True, role=OperationPartner.Role.FAMILIES_PAYING
        )
        others_left = ManifestEntry.objects.filter(
            operation=operation, case__person__erased_at__isnull=True
        ).exists()
        if others_left:
            named = [
                family.pk
                for family in families
                if identity.shares_a_name_part(family.external_name)
            ]
            fields = _empty(families.filter(pk__in=named), FAMILY_PARTNER_FIELDS)
        else:
            fields = _empty(partners, OPERATION_PARTNER_FIELDS)
            fields += _empty(families, FAMILY_PARTNER_FIELDS)
        if fields:
            wiped = [f"partners.{name}" for name in fields]
            _record_erased(operation.organisation_id, "operation", operation.code, wiped, by)


def _wipe_waiting_messages(case: Case, *, by: User | None) -> int:
    """Empty the messages to other installations that still wait in the outbox with details of
    the case's referrals, and give them up; return how many.

    A sender thread may hold one right now: it read the body before, and may still deliver it
    (at most this once). Given up with its attempts used, no sender takes it again.
    """
    codes = {case.code, *Referral.objects.filter(case=case).values_list("code", flat=True)}
    waiting = (
        OutboundMessage.objects.select_for_update()
        .filter(from_organisation_id=case.organisation_id, body__isnull=False)
        .exclude(status=OutboundMessage.Status.DELIVERED)
        .order_by("id")
    )
    erased = 0
    for message in waiting:
        body = message.body or {}
        if not _names_any(body, codes) or set(body) <= MESSAGE_KEYS_WITHOUT_DETAILS:
            continue
        OutboundMessage.objects.filter(pk=message.pk).update(
            body=None,
            status=OutboundMessage.Status.GIVEN_UP,
            attempts=OutboundMessage.MAX_ATTEMPTS,
            next_attempt_at=None,
            last_error=MESSAGE_ERASED,
        )
        _record_erased(
            case.organisation_id, "exchange_message", message.message_id.hex, ["body"], by
        )
        erased += 1
    return erased


def _names_any(value: Any, codes: set[str]) -> bool:
    """Whether a message body names one of ``codes`` anywhere (as a whole value)."""
    if isinstance(value, str):
        return value in codes
    if isinstance(value, dict):
        return any(_names_any(item, codes) for item in value.values())
    if isinstance(value, list):
        return any(_names_any(item, codes) for item in value)
    return False


def _wipe_reports(cases: list[Case], identity: Identity, *, by: User | None) -> None:
    report_ids = ReportCase.objects.filter(case__in=cases).values("report_id")
    reports = Report.objects.select_for_update().filter(pk__in=report_ids).order_by("id")
    for report in reports.select_related("organisation"):
        if _report_still_serves_others(report):
            _remove_own_entries(report, identity, by=by)
        else:
            _wipe_report(report, by=by)


def _report_still_serves_others(report: Report) -> bool:
    """Whether somebody not erased has a case from the report, or may still get one."""
    if ReportCase.objects.filter(report=report, case__person__erased_at__isnull=True).exists():
        return True
    return report.is_open and GroupIncident.objects.filter(report=report).exists()


def _remove_own_entries(report: Report, identity: Identity, *, by: User | None) -> None:
    changed: list[str] = []

    def keep(name: str, test: Any) -> None:
        values = getattr(report, name) or []
        kept = [value for value in values if not test(value)]
        if kept != values:
            setattr(report, name, kept)
            changed.append(name)

    keep("subject_names", identity.is_name)
    keep("subject_phone_numbers", identity.is_phone)
    keep("subject_document_numbers", identity.is_document)
    # The person reported it themselves: the reporter's contacts are theirs too (an email's
    # sender address, how to reach them safely).
    if identity.is_name(report.reporter_name) or identity.is_phone(report.reporter_phone):
        for name in REPORTER_FIELDS:
            if getattr(report, name):
                setattr(report, name, "")
                changed.append(name)
    calls = HotlineCall.objects.filter(report=report)
    for call in calls:
        if identity.is_phone(call.caller_phone):
            HotlineCall.objects.filter(pk=call.pk).update(caller_phone="", caller_phone_token=None)
            _record_erased(call.organisation_id, "hotline_call", call.code, ["caller_phone"], by)
    texts = OutboundSms.objects.filter(report=report).only("pk", "to")
    if _wipe_outbound_sms([sms.pk for sms in texts if identity.is_phone(sms.to)]):
        changed.append("outbound_sms.to")
    files = report.attachments.filter(erased_at__isnull=True).only("pk", "file_name")
    if _wipe_attachments([file.pk for file in files if identity.is_named_in(file.file_name)]):
        changed.append("attachments")
    if changed:
        own_fields = [name for name in changed if name in REPORT_FIELDS]
        report.version += 1
        report.updated_at = timezone.now()
        report.save(update_fields=[*own_fields, "version", "updated_at"])
        index_report(report)
        _record_erased(report.organisation_id, "report", report.code, changed, by)


def _wipe_report(report: Report, *, by: User | None) -> list[str]:
    """Empty the report's personal data, and what its channel, hotline call and group
    incidents kept; return the names of what held something (never values)."""
    wiped = [name for name in REPORT_FIELDS if getattr(report, name) not in (None, "", [])]
    # What the channels kept beside the report: files, SMS sent about it, its last USSD screen.
    if _wipe_attachments(report.attachments.filter(erased_at__isnull=True).values("pk")):
        wiped.append("attachments")
    if _wipe_outbound_sms(OutboundSms.objects.filter(report=report).values("pk")):
        wiped.append("outbound_sms")
    sessions = UssdSession.objects.filter(report=report).exclude(**USSD_SESSION_FIELDS)
    if sessions.update(**USSD_SESSION_FIELDS):
        wiped.append("ussd_sessions")
    if wiped:
        for name, empty in REPORT_FIELDS.items():
            setattr(report, name, empty)
        report.version += 1
        report.updated_at = timezone.now()
        report.save(update_fields=[*REPORT_FIELDS, "version", "updated_at"])
        _record_erased(report.organisation_id, "report", report.code, wiped, by)
    index_report(report)  # no identifier is left to index: this deletes the tokens
    for call in HotlineCall.objects.filter(report=report):
        fields = [name for name in ("caller_phone", "notes") if getattr(call, name)]
        if fields:
            HotlineCall.objects.filter(pk=call.pk).update(**HOTLINE_CALL_FIELDS)
            _record_erased(call.organisation_id, "hotline_call", call.code, fields, by)
            wiped += [f"hotline_call.{name}" for name in fields]
    for incident in GroupIncident.objects.filter(report=report):
        fields = [name for name in GROUP_INCIDENT_FIELDS if getattr(incident, name)]
        if fields:
            GroupIncident.objects.filter(pk=incident.pk).update(**GROUP_INCIDENT_FIELDS)
            _record_erased(incident.organisation_id, "group_incident", incident.code, fields, by)
            wiped += [f"group_incidents.{name}" for name in fields if name not in wiped]
    return wiped


# Reports that finished without a case (the report retention period)


@transaction.atomic
def wipe_caseless_report(
    report: Report, *, cutoff: datetime.datetime, by: User | None = None
) -> Erasure | None:
    """Wipe a report that finished without a case before ``cutoff``; return the record of it.

    Everything erasure takes from a report nobody is left to need goes: its own fields, its
    search tokens, the files, SMS and USSD screen its channel kept, its hotline call's number
    and notes, its group incidents' place and description. Channel, status, reason, urgency,
    country, number of people, dates and the timeline stay. A report that no longer qualifies
    (reopened, given a case, wiped already since its last change) is left alone: None.
    """
    current = Report.objects.select_for_update().select_related("organisation").get(pk=report.pk)
    due = caseless_reports_finished_before(current.organisation_id, cutoff)
    if not due.filter(pk=current.pk).exists():
        return None
    wiped = _wipe_report(current, by=by)
    return Erasure.objects.create(
        report=current,
        organisation_id=current.organisation_id,
        at=timezone.now(),  # after the wipe's updated_at: the report is not due again
        by=by,
        reason=Erasure.Reason.RETENTION,
        fields=wiped,
    )


@transaction.atomic
def wipe_unreported_call(
    call: HotlineCall, *, cutoff: datetime.datetime, by: User | None = None
) -> list[str]:
    """Empty the caller's number, its token and the notes of a hotline call made before
    ``cutoff`` that never became a report; return the names of what held something.

    Category, caller type, operator, time and duration stay, so calls are still counted.
    """
    current = (
        HotlineCall.objects.select_for_update()
        .filter(pk=call.pk, report__isnull=True, started_at__lt=cutoff)
        .first()
    )
    if current is None:
        return []
    fields = [
        name for name, empty in HOTLINE_CALL_FIELDS.items() if getattr(current, name) != empty
    ]
    if fields:
        HotlineCall.objects.filter(pk=current.pk).update(**HOTLINE_CALL_FIELDS)
        _record_erased(current.organisation_id, "hotline_call", current.code, fields, by)
    return fields


def _wipe_attachments(ids: Any) -> int:
    """Empty the name and content of these files, keeping type, size and refusal to count."""
    return ReportAttachment.objects.filter(pk__in=ids, erased_at__isnull=True).update(
        **ATTACHMENT_FIELDS, erased_at=timezone.now()
    )


def _wipe_outbound_sms(ids: Any) -> int:
    """Empty the number and text of these SMS; one not sent yet is never sent."""
    texts = OutboundSms.objects.filter(pk__in=ids)
    # A sender thread may hold one right now: it read the number before, and may still send it
    # (at most this once); it will not find it again.
    texts.exclude(status=OutboundSms.Status.SENT).update(
        status=OutboundSms.Status.FAILED, next_attempt_at=None, last_error="erased before sending"
    )
    return texts.exclude(**OUTBOUND_SMS_FIELDS).update(**OUTBOUND_SMS_FIELDS)


def _record_erased(
    organisation_id: int, kind: str, code: str, fields: list[str], by: User | None
) -> None:
    record_change(
        organisation_id=organisation_id,
        record_kind=kind,
        record_code=code,
        action="erased",
        fields=fields,
        by=by,
    )
