"""Record and withdraw consent; send, accept, decline, complete and withdraw referrals; set the
answer deadlines; notify overdue referrals and send the daily summary.

Contract: every action is one transaction, takes the actor as ``by=``, checks all of its inputs
before writing anything (errors name the form fields: ``to_organisation``, ``sections``,
``reason``...) and leaves a trace: a ``ReferralEvent`` for each move of a referral, a
``CONSENT_RECORDED``, ``REFERRAL_SENT`` or ``REFERRAL_UPDATED`` entry on the sender's case
timeline (codes and categories only, never notes), a change record naming the fields, and a
notification to the other side (``okoa.notifications``: the event, the referral's code and its
path, never a name).

A referral moves only along ``Referral.TRANSITIONS``; any other move is refused with a clear
error and changes nothing. Answers lock the referral and, with ``expected_version``, refuse an
answer based on an outdated page (two receivers answering at once: the second is told what
happened). Who may act is decided by ``okoa.referrals.access`` before an action is called; the
answers take only the referral and the answer, so that a referral to or from another
installation can be answered the same way when its message arrives (``by`` is then None and
``partner`` names the installation it came from).

A referral to an organisation of a partner installation (a stand-in, ``okoa.exchange``) leaves
as a ``referral.sent`` message queued in the same transaction; each later move made here is
told to the other installation the same way (``okoa.referrals.remote``), and moves that arrive
from it are applied through these same actions without being sent back. Erasing the survivor
(``erase_referral_details``) tells it too (``referral.erased``); ``erase_received_referral``
wipes the copy here when the sender of a received referral did so.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.audit.actions import record_change
from okoa.cases.actions import record_event
from okoa.cases.models import Case, CaseEvent
from okoa.directory.models import Service, ServiceKind
from okoa.exchange.access import remote_of
from okoa.exchange.models import Partner
from okoa.notifications.actions import notify_organisation
from okoa.referrals import remote
from okoa.referrals.access import PRIVATE_FIELDS
from okoa.referrals.models import (
    DEFAULT_NORMAL_HOURS,
    DEFAULT_URGENT_HOURS,
    MAX_DEADLINE_HOURS,
    MINIMUM_SECTIONS,
    Consent,
    ExchangedReferral,
    Referral,
    ReferralDeadlines,
    ReferralEvent,
    ReferralSummary,
    Section,
)
from okoa.referrals.snapshot import SharedIdentifiers, take_snapshot

Status = Referral.Status


class StaleReferral(ValidationError):
    """Somebody else moved the referral after the page was opened."""


# Consent --------------------------------------------------------------------------------------


def _is_supervisor_of(user: User, organisation_id: int) -> bool:
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, is_active=True
    ).first()
    return bool(membership and membership.can(Capability.SUPERVISE))


def _check_scope(
    case: Case,
    sections: list[str],
    any_organisation: bool,
    organisations: list[Organisation],
    errors: dict[str, list[str]],
) -> None:
    if not sections:
        errors["sections"] = [_("Choose the sections that may be shared.")]
    elif set(sections) - set(Section.values):
        errors["sections"] = [_("Choose sections from the list.")]
    elif not set(MINIMUM_SECTIONS) <= set(sections):
        errors["sections"] = [
            _("Every referral shares the basic details: include them in the consent.")
        ]
    if any_organisation and organisations:
        errors["organisations"] = [
            _("Choose either “any organisation” or the organisations, not both.")
        ]
    elif not any_organisation and not organisations:
        errors["organisations"] = [
            _("Choose the organisations the details may go to, or “any organisation”.")
        ]
    elif any(organisation.pk == case.organisation_id for organisation in organisations):
        errors["organisations"] = [_("Your own organisation needs no consent: choose others.")]


def _save_consent(case: Case, *, by: User, organisations: list[Organisation], **values: Any):
    consent = Consent.objects.create(case=case, recorded_by=by, **values)
    consent.organisations.set(organisations)
    record_event(
        case,
        CaseEvent.Kind.CONSENT_RECORDED,
        by=by,
        consent=consent.code,
        override=consent.is_override,
        sections=consent.sections,
        any_organisation=consent.any_organisation,
        organisations=sorted(organisation.code for organisation in organisations),
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="consent",
        record_code=consent.code,
        action="override" if consent.is_override else "recorded",
        fields=[name for name, value in values.items() if value not in ("", None, [], False)]
        + (["organisations"] if organisations else []),
        by=by,
    )
    return consent


@transaction.atomic
def record_consent(
    case: Case,
    *,
    by: User,
    given_by: str,
    given_on: datetime.date | None,
    sections: list[str],
    given_by_details: str = "",
    any_organisation: bool = False,
    organisations: Iterable[Organisation] = (),
) -> Consent:
    """Record that the survivor (or a parent or guardian) agreed to share parts of the case."""
    organisation_list = list(organisations)
    sections = sorted(set(sections))
    details = given_by_details.strip()
    errors: dict[str, list[str]] = {}
    if given_by not in Consent.GivenBy.values:
        errors["given_by"] = [_("Say who gave the consent.")]
    elif given_by != Consent.GivenBy.SURVIVOR and not details:
        errors["given_by_details"] = [
            _("Say who gave the consent, for example “her mother” or “the legal guardian”.")
        ]
    if given_on is None:
        errors["given_on"] = [_("Give the date the consent was given.")]
    elif given_on > timezone.localdate():
        errors["given_on"] = [_("This date is in the future.")]
    _check_scope(case, sections, any_organisation, organisation_list, errors)
    if errors:
        raise ValidationError(errors)
    return _save_consent(
        case,
        by=by,
        organisations=organisation_list,
        given_by=given_by,
        given_by_details=details,
        given_on=given_on,
        sections=sections,
        any_organisation=any_organisation,
    )


@transaction.atomic
def record_consent_override(
    case: Case,
    *,
    by: User,
    reason: str,
    sections: list[str],
    any_organisation: bool = False,
    organisations: Iterable[Organisation] = (),
) -> Consent:
    """Record a supervisor's decision to share without consent, with the reason."""
    organisation_list = list(organisations)
    sections = sorted(set(sections))
    errors: dict[str, list[str]] = {}
    if not _is_supervisor_of(by, case.organisation_id):
        errors["__all__"] = [_("Only a supervisor can share without the survivor's consent.")]
    if not reason.strip():
        errors["override_reason"] = [
            _("Say why the details must be shared without consent (it is kept on the file).")
        ]
    _check_scope(case, sections, any_organisation, organisation_list, errors)
    if errors:
        raise ValidationError(errors)
    return _save_consent(
        case,
        by=by,
        organisations=organisation_list,
        is_override=True,
        given_on=timezone.localdate(),
        override_reason=reason.strip(),
        sections=sections,
        any_organisation=any_organisation,
    )


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: User) -> list[Referral]:
    """Withdraw a consent; open referrals that relied on it only are withdrawn too.

    A referral that another active consent also covers keeps going under that consent. Return
    the referrals withdrawn. Withdrawing a withdrawn consent is a no-op.
    """
    current = Consent.objects.select_for_update().select_related("case").get(pk=consent.pk)
    if current.withdrawn_at is not None:
        return []
    current.withdrawn_at, current.withdrawn_by = timezone.now(), by
    current.save(update_fields=["withdrawn_at", "withdrawn_by"])
    case = current.case
    record_event(case, CaseEvent.Kind.CONSENT_RECORDED, by=by, consent=current.code, withdrawn=True)
    record_change(
        organisation_id=case.organisation_id,
        record_kind="consent",
        record_code=current.code,
        action="withdrawn",
        fields=["withdrawn_at"],
        by=by,
    )
    withdrawn = []
    for referral in Referral.objects.filter(consent=current).open():
        other = covering_consent(case, referral.to_organisation_id, referral.sections)
        if other is not None:
            Referral.objects.filter(pk=referral.pk).update(consent=other)
            continue
        withdraw_referral(
            referral, reason=_("The consent to share these details was withdrawn."), by=by
        )
        withdrawn.append(referral)
    consent.refresh_from_db()
    return withdrawn


def covering_consent(case: Case, organisation_id: int, sections: list[str]) -> Consent | None:
    """The newest active consent of the case that covers a referral, if any."""
    consents = Consent.objects.filter(case=case, withdrawn_at__isnull=True).prefetch_related(
        "organisations"
    )
    for consent in consents:
        if consent.covers({organisation_id}, sections):
            return consent
    return None


# Deadlines ------------------------------------------------------------------------------------


def deadline_hours(organisation_id: int, urgency: str) -> int:
    """Hours the organisation gives a receiver to answer a referral of ``urgency``."""
    settings = ReferralDeadlines.objects.filter(organisation_id=organisation_id).first()
    if settings is not None:
        return settings.hours_for(urgency)
    return DEFAULT_URGENT_HOURS if urgency == Referral.Urgency.URGENT else DEFAULT_NORMAL_HOURS


@transaction.atomic
def set_referral_deadlines(
    organisation: Organisation, *, urgent_hours: int | None, normal_hours: int | None, by: User
) -> ReferralDeadlines:
    """Set the hours the organisation gives receivers to answer (for referrals sent from now)."""
    errors: dict[str, list[str]] = {}
    for name, hours in (("urgent_hours", urgent_hours), ("normal_hours", normal_hours)):
        if hours is None:
            errors[name] = [_("Give a number of hours.")]
        elif not 1 <= hours <= MAX_DEADLINE_HOURS:
            errors[name] = [
                _("Give between 1 and %(most)s hours (30 days).") % {"most": MAX_DEADLINE_HOURS}
            ]
    if urgent_hours is None or normal_hours is None or errors:
        raise ValidationError(errors)
    if urgent_hours > normal_hours:
        raise ValidationError(
            {
                "urgent_hours": [
                    _("An urgent referral cannot have longer to answer than another one.")
                ]
            }
        )
    deadlines, _created = ReferralDeadlines.objects.update_or_create(
        organisation=organisation,
        defaults={
            "urgent_hours": urgent_hours,
            "normal_hours": normal_hours,
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    record_change(
        organisation_id=organisation.pk,
        record_kind="referral_deadlines",
        record_code=organisation.code,
        action="updated",
        fields=["urgent_hours", "normal_hours"],
        by=by,
    )
    return deadlines


# Sending --------------------------------------------------------------------------------------


def referral_path(referral: Referral) -> str:
    return reverse("referrals:detail", kwargs={"code": referral.code})


def _notify(organisation: Organisation, event: str, referral: Referral) -> None:
    # Referral pages show survivors' details: only members who see identities are told.
    notify_organisation(
        organisation,
        event=event,
        reference=referral.code,
        path=referral_path(referral),
        capability=Capability.VIEW_IDENTITIES,
    )


@transaction.atomic
def send_referral(
    case: Case,
    *,
    to_organisation: Organisation | None,
    by: User,
    reason_note: str,
    service: Service | None = None,
    service_kind: str = "",
    urgency: str = Referral.Urgency.NORMAL,
    sections: Iterable[str] = MINIMUM_SECTIONS,
    now: datetime.datetime | None = None,
) -> Referral:
    """Refer the case's survivor to another organisation (and one of its services).

    The chosen sections are copied from the case now; a valid consent must cover the receiver
    and every section, or nothing is sent.
    """
    section_list = sorted(set(sections))
    reason_note = reason_note.strip()
    errors: dict[str, list[str]] = {}
    if case.status == Case.Status.CLOSED:
        errors["__all__"] = [_("This case is closed: reopen it before referring the survivor.")]
    if to_organisation is None:
        errors["to_organisation"] = [_("Choose the organisation to refer to.")]
    elif to_organisation.pk == case.organisation_id:
        errors["to_organisation"] = [_("A referral goes to another organisation.")]
    elif not to_organisation.is_active:
        errors["to_organisation"] = [_("This organisation no longer uses Okoa.")]
    partner_organisation = remote_of(to_organisation) if to_organisation is not None else None
    if partner_organisation is not None and not partner_organisation.partner.is_active:
        errors["to_organisation"] = [
            _(
                "This organisation's installation is not connected now: the referral cannot "
                "reach it."
            )
        ]
    if service is not None:
        if to_organisation is None or service.organisation_id != to_organisation.pk:
            errors["service"] = [_("Choose a service of the organisation you refer to.")]
        elif not service.is_active:
            errors["service"] = [_("This service is no longer offered: choose another.")]
        service_kind = service.kind
    if service_kind not in ServiceKind.values:
        errors.setdefault("service_kind", []).append(_("Choose the kind of service needed."))
    if urgency not in Referral.Urgency.values:
        errors["urgency"] = [_("Choose how urgent the referral is.")]
    if set(section_list) - set(Section.values):
        errors["sections"] = [_("Choose sections from the list.")]
    elif not set(MINIMUM_SECTIONS) <= set(section_list):
        errors["sections"] = [_("Every referral shares the basic details.")]
    if not reason_note:
        errors["reason_note"] = [_("Say why you refer the survivor and what you ask for.")]
    if not errors:
        assert to_organisation is not None
        _check_consent(case, to_organisation, section_list, errors)
    if errors:
        raise ValidationError(errors)
    assert to_organisation is not None
    consent = covering_consent(case, to_organisation.pk, section_list)
    sent_at = now or timezone.now()
    hours = deadline_hours(case.organisation_id, urgency)
    referral = Referral.objects.create(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=to_organisation,
        service=service,
        service_kind=service_kind,
        urgency=urgency,
        consent=consent,
        sections=section_list,
        shared=take_snapshot(case, section_list),
        reason_note=reason_note,
        sent_by=by,
        sent_at=sent_at,
        respond_by=sent_at + datetime.timedelta(hours=hours),
    )
    ReferralEvent.objects.create(
        referral=referral,
        status=Status.SENT,
        at=sent_at,
        by=by,
        organisation_id=case.organisation_id,
        data={"urgency": urgency, "sections": section_list},
    )
    record_event(
        case,
        CaseEvent.Kind.REFERRAL_SENT,
        by=by,
        referral=referral.code,
        to=to_organisation.code,
        service_kind=service_kind,
        urgency=urgency,
        sections=section_list,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="referral",
        record_code=referral.code,
        action="sent",
        fields=["shared", "reason_note", *(["service"] if service else [])],
        by=by,
    )
    _notify(to_organisation, "referral_received", referral)
    if partner_organisation is not None:
        remote.queue_sent(referral, partner_organisation)
    return referral


@transaction.atomic
def receive_remote_referral(
    received: remote.ReceivedReferral,
    *,
    partner: Partner,
    from_organisation: Organisation,
    to_organisation: Organisation,
    message_id: uuid.UUID,
) -> Referral:
    """Take in a referral that a partner installation sent (its ``referral.sent`` message).

    The referral has no case here: the receiver reads its snapshot. It is received once per
    partner and sender's code: a second message about the same referral returns the first one
    and changes nothing. The receiving organisation is notified.
    """
    exchanged = ExchangedReferral.objects.filter(
        partner=partner,
        direction=ExchangedReferral.Direction.RECEIVED,
        remote_code=received.sender_code,
    ).first()
    if exchanged is not None:
        return exchanged.referral
    referral = Referral.objects.create(
        case=None,
        from_organisation=from_organisation,
        to_organisation=to_organisation,
        service_kind=received.service_kind,
        urgency=received.urgency,
        sections=received.sections,
        shared=received.shared,
        reason_note=received.reason_note,
        sent_at=received.sent_at,
        respond_by=received.respond_by,
    )
    ExchangedReferral.objects.create(
        referral=referral,
        partner=partner,
        direction=ExchangedReferral.Direction.RECEIVED,
        remote_code=received.sender_code,
        message_id=message_id,
    )
    ReferralEvent.objects.create(
        referral=referral,
        status=Status.SENT,
        at=received.sent_at,
        by=None,
        organisation=from_organisation,
        data={
            "urgency": received.urgency,
            "sections": received.sections,
            "installation": partner.installation_id,
        },
    )
    record_change(
        organisation_id=to_organisation.pk,
        record_kind="referral",
        record_code=referral.code,
        action="received",
        fields=["shared", "reason_note"],
        by=None,
    )
    _notify(to_organisation, "referral_received", referral)
    return referral


def _check_consent(
    case: Case, to: Organisation, sections: list[str], errors: dict[str, list[str]]
) -> None:
    """Name what is missing when no active consent covers the referral."""
    active = list(
        Consent.objects.filter(case=case, withdrawn_at__isnull=True).prefetch_related(
            "organisations"
        )
    )
    if any(consent.covers({to.pk}, sections) for consent in active):
        return
    if not active:
        errors["__all__"] = [
            _(
                "There is no consent to share on this case. Record the survivor's consent "
                "(or a supervisor's override) before referring."
            )
        ]
        return
    for_organisation = [consent for consent in active if consent.covers({to.pk}, [])]
    if not for_organisation:
        errors["to_organisation"] = [
            _("The consent on file does not cover %(organisation)s: record a consent that does.")
            % {"organisation": to.name}
        ]
        return
    allowed = sorted({name for consent in for_organisation for name in consent.sections})
    errors["sections"] = [
        _("The consent on file covers only: %(sections)s.")
        % {"sections": "; ".join(str(Section(name).label) for name in allowed)}
    ]


# Answers --------------------------------------------------------------------------------------

# What a move is called in refusals ("it can no longer be accepted").
# Lazy: the module is imported once, in whatever language is active then.
MOVE_NAMES = {
    Status.ACCEPTED: gettext_lazy("accepted"),
    Status.DECLINED: gettext_lazy("declined"),
    Status.COMPLETED: gettext_lazy("completed"),
    Status.WITHDRAWN: gettext_lazy("withdrawn"),
}


@dataclass(frozen=True)
class _Move:
    to: str
    # Which side acts: "receiver" (accept, decline, complete) or "sender" (withdraw).
    side: str
    event: str
    values: dict[str, Any]
    event_data: dict[str, Any]
    changed_fields: list[str]


def _apply(
    referral: Referral,
    move: _Move,
    *,
    by: User | None,
    expected: int | None,
    partner: Partner | None = None,
) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if expected is not None and current.version != expected:
        raise StaleReferral(
            _(
                "Somebody else changed this referral after you opened it: it is now "
                "“%(status)s”. Reload the page to see what happened."
            )
            % {"status": current.get_status_display()}
        )
    if not current.can_move_to(move.to):
        raise ValidationError(
            _("This referral is “%(status)s”: it can no longer be %(move)s.")
            % {"status": current.get_status_display(), "move": MOVE_NAMES[Status(move.to)]}
        )
    acting_organisation = (
        current.to_organisation if move.side == "receiver" else current.from_organisation
    )
    acting_remote = remote_of(acting_organisation)
    if (acting_remote.partner_id if acting_remote else None) != (partner.pk if partner else None):
        # That side lives on another installation: its moves arrive as its messages only (and
        # a partner's message moves only its own organisations' side).
        raise ValidationError(
            _("Only the other organisation, on its own installation, can make this change.")
        )
    event_data = dict(move.event_data)
    if partner is not None:
        event_data["installation"] = partner.installation_id
    now = timezone.now()
    current.status = move.to
    current.version += 1
    fields = ["status", "version"]
    if move.to == Status.ACCEPTED:
        current.accepted_at = now
        fields.append("accepted_at")
    if move.to in (Status.ACCEPTED, Status.DECLINED) and current.answered_at is None:
        current.answered_at = now
        fields.append("answered_at")
    if move.to in Referral.CLOSED_STATUSES:
        current.closed_at = now
        fields.append("closed_at")
    for name, value in move.values.items():
        setattr(current, name, value)
        fields.append(name)
    current.save(update_fields=fields)
    acting = current.to_organisation_id if move.side == "receiver" else current.from_organisation_id
    other = current.from_organisation if move.side == "receiver" else current.to_organisation
    ReferralEvent.objects.create(
        referral=current,
        status=move.to,
        at=now,
        by=by,
        organisation_id=acting,
        data=event_data,
    )
    if current.case_id is not None:
        record_event(
            current.case,  # type: ignore[arg-type]
            CaseEvent.Kind.REFERRAL_UPDATED,
            by=by,
            referral=current.code,
            status=move.to,
            **event_data,
        )
    record_change(
        organisation_id=acting,
        record_kind="referral",
        record_code=current.code,
        action=move.to,
        fields=["status", *move.changed_fields],
        by=by,
    )
    _notify(other, move.event, current)
    if partner is None:
        remote.queue_move(current)
    referral.refresh_from_db()
    return referral


@transaction.atomic
def accept_referral(
    referral: Referral,
    *,
    by: User | None,
    expected_version: int | None = None,
    partner: Partner | None = None,
) -> Referral:
    """The receiver takes the referral on (``partner``: the receiver's installation said so)."""
    move = _Move(Status.ACCEPTED, "receiver", "referral_accepted", {}, {}, [])
    return _apply(referral, move, by=by, expected=expected_version, partner=partner)


@transaction.atomic
def decline_referral(
    referral: Referral,
    *,
    reason: str,
    note: str = "",
    by: User | None,
    expected_version: int | None = None,
    partner: Partner | None = None,
) -> Referral:
    """The receiver declines the referral, with a reason (and a note for "another reason")."""
    note = note.strip()
    if reason not in Referral.DeclineReason.values:
        raise ValidationError({"reason": [_("Choose why you decline.")]})
    if reason == Referral.DeclineReason.OTHER and not note:
        raise ValidationError({"note": [_("Say what the reason is.")]})
    move = _Move(
        Status.DECLINED,
        "receiver",
        "referral_declined",
        {"decline_reason": reason, "decline_note": note},
        {"reason": reason},
        ["decline_reason", *(["decline_note"] if note else [])],
    )
    return _apply(referral, move, by=by, expected=expected_version, partner=partner)


@transaction.atomic
def complete_referral(
    referral: Referral,
    *,
    outcome: str,
    note: str = "",
    by: User | None,
    expected_version: int | None = None,
    partner: Partner | None = None,
) -> Referral:
    """The receiver closes an accepted referral with its outcome."""
    note = note.strip()
    if outcome not in Referral.Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome.")]})
    if outcome == Referral.Outcome.OTHER and not note:
        raise ValidationError({"note": [_("Say what the outcome is.")]})
    move = _Move(
        Status.COMPLETED,
        "receiver",
        "referral_completed",
        {"outcome": outcome, "outcome_note": note},
        {"outcome": outcome},
        ["outcome", *(["outcome_note"] if note else [])],
    )
    return _apply(referral, move, by=by, expected=expected_version, partner=partner)


@transaction.atomic
def withdraw_referral(
    referral: Referral,
    *,
    reason: str,
    by: User | None,
    expected_version: int | None = None,
    partner: Partner | None = None,
) -> Referral:
    """The sender withdraws the referral, saying why; the receiver no longer sees the details."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you withdraw the referral.")]})
    move = _Move(
        Status.WITHDRAWN,
        "sender",
        "referral_withdrawn",
        {"withdraw_reason": reason},
        {},
        ["withdraw_reason"],
    )
    return _apply(referral, move, by=by, expected=expected_version, partner=partner)


# Erasure --------------------------------------------------------------------------------------


def erase_referral_details(case: Case, *, by: User | None) -> int:
    """Empty what the case's consents and referrals hold about the person; return how many
    records changed.

    For ``okoa.retention`` to call when it erases the survivor's identity: the snapshots,
    reasons and notes go; statuses, dates, categories and section names stay for statistics.
    A referral that went to a partner installation whose ``referral.sent`` message may have
    reached it gets a ``referral.erased`` message, queued here (``remote.queue_erased``), so
    that the partner wipes its copy too. Runs inside the caller's transaction.
    """
    changed = 0
    now = timezone.now()
    for referral in Referral.objects.filter(case=case).select_related(
        "from_organisation", "to_organisation"
    ):
        Referral.objects.filter(pk=referral.pk).update(
            shared={},
            reason_note="",
            decline_note="",
            outcome_note="",
            withdraw_reason="",
        )
        told = _tell_partner_of_erasure(referral, now=now)
        record_change(
            organisation_id=case.organisation_id,
            record_kind="referral",
            record_code=referral.code,
            action="erased",
            fields=[*PRIVATE_FIELDS, *(["partner_copy"] if told else [])],
            by=by,
        )
        changed += 1
    for consent in Consent.objects.filter(case=case):
        Consent.objects.filter(pk=consent.pk).update(given_by_details="", override_reason="")
        record_change(
            organisation_id=case.organisation_id,
            record_kind="consent",
            record_code=consent.code,
            action="erased",
            fields=["given_by_details", "override_reason"],
            by=by,
        )
        changed += 1
    return changed


def _tell_partner_of_erasure(referral: Referral, *, now: datetime.datetime) -> bool:
    """Queue the ``referral.erased`` message of a referral sent to a partner installation, once;
    return whether one was queued.

    None is needed when the ``referral.sent`` message never left: erasure empties it and it is
    never delivered (``okoa.retention``), so the partner holds no copy.
    """
    link = (
        ExchangedReferral.objects.select_for_update()
        .filter(
            referral=referral,
            direction=ExchangedReferral.Direction.SENT,
            erased_at__isnull=True,
        )
        .first()
    )
    if link is None:
        return False
    message = remote.queue_erased(referral) if remote.may_have_arrived(link) else None
    link.erased_at = now
    link.erasure_message_id = message.message_id if message is not None else None
    link.save(update_fields=["erased_at", "erasure_message_id"])
    return message is not None


@transaction.atomic
def erase_received_referral(
    exchanged: ExchangedReferral, *, partner: Partner, message_id: uuid.UUID
) -> Referral:
    """Wipe this installation's copy of a referral whose sender erased the survivor's details
    (its ``referral.erased`` message); return the referral. Once: a copy wiped already is left
    as it is.

    Wiped, because they came from the sender: the snapshot of the shared sections
    (``shared``: names, contacts, documents, narrative...) and the reason for the referral
    (``reason_note``). Nothing else came from the sender: a received referral has no case, no
    consent (its words never travel) and no sending caseworker here. A referral still open is
    withdrawn (the history says "erased at the sender"); the receiving organisation is told in
    the app (the event, the referral's code and its link only).

    Kept, because they are the receiving organisation's own record of its own work and name
    nobody: its answer (accepted, declined with its reason category, completed with its
    outcome category), the dates, the section names, the urgency and kind of service, the
    history and the change and access records (codes and field names). The notes of its
    answer (``decline_note``, ``outcome_note``) are its own words too and stay, unless they
    name the survivor as the snapshot did (a name part, a phone, identity, passport, occurrence
    book or court case number, the date of birth: ``SharedIdentifiers``); then they go as
    well. Answers of its own still waiting to leave for the sender lose their notes
    (``remote.drop_notes_of_waiting_answers``). The sender's code for the referral and the
    message ids stay in ``ExchangedReferral``: opaque, and what recognises a later message
    about the same referral.
    """
    link = ExchangedReferral.objects.select_for_update().get(pk=exchanged.pk)
    current = Referral.objects.select_for_update().get(pk=link.referral_id)
    if link.erased_at is not None:
        return current
    now = timezone.now()
    identifiers = SharedIdentifiers.of(current.shared)  # read before the wipe
    held = {"shared": bool(current.shared), "reason_note": bool(current.reason_note)}
    for name in ("decline_note", "outcome_note"):
        held[name] = identifiers.found_in(getattr(current, name))
    wiped = [name for name, holds in held.items() if holds]
    current.shared, current.reason_note = {}, ""
    fields = ["shared", "reason_note", "version"]
    for name in ("decline_note", "outcome_note"):
        if held[name]:
            setattr(current, name, "")
            fields.append(name)
    was_open = current.is_open
    if was_open:
        current.status, current.closed_at = Status.WITHDRAWN, now
        # Never shown to the receiver; says why it closed to whoever reads the row.
        current.withdraw_reason = _("Erased at the sending installation.")
        fields += ["status", "closed_at", "withdraw_reason"]
    current.version += 1
    current.save(update_fields=fields)
    ReferralEvent.objects.create(
        referral=current,
        status=current.status,
        at=now,
        by=None,
        organisation=current.from_organisation,
        data={"installation": partner.installation_id, "erased": True, "withdrawn": was_open},
    )
    record_change(
        organisation_id=current.to_organisation_id,
        record_kind="referral",
        record_code=current.code,
        action="erased",
        fields=[*wiped, *(["status"] if was_open else [])],
        by=None,
    )
    link.erased_at, link.erasure_message_id = now, message_id
    link.save(update_fields=["erased_at", "erasure_message_id"])
    remote.drop_notes_of_waiting_answers(link)
    if was_open:
        # Its members must stop working on it. A closed one showed them no details any more:
        # only its history changes (and a note of theirs that named the survivor).
        _notify(current.to_organisation, "referral_withdrawn", current)
    exchanged.refresh_from_db()
    return current


# Deadlines passed -----------------------------------------------------------------------------


def notify_overdue_referrals(*, now: datetime.datetime | None = None) -> int:
    """Tell both sides of each referral that has just become overdue, once; return how many.

    Each referral is claimed by a conditional update before anyone is notified, so two runs at
    once never notify the same referral twice.
    """
    now = now or timezone.now()
    notified = 0
    candidates = Referral.objects.overdue(now).filter(overdue_notified_at__isnull=True)
    for referral in candidates.select_related("from_organisation", "to_organisation"):
        with transaction.atomic():
            claimed = Referral.objects.filter(
                pk=referral.pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            _notify(referral.to_organisation, "referral_overdue", referral)
            _notify(referral.from_organisation, "referral_overdue", referral)
            notified += 1
    return notified


def send_referral_summaries(*, now: datetime.datetime | None = None) -> list[ReferralSummary]:
    """Send each organisation with overdue referrals (sent or received) today's counts, once.

    Return the summaries sent by this run; a second run on the same day sends none.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    overdue = Referral.objects.overdue(now).order_by()
    sent = dict(overdue.values_list("from_organisation").annotate(number=Count("id")))
    received = dict(overdue.values_list("to_organisation").annotate(number=Count("id")))
    organisations = Organisation.objects.in_bulk(set(sent) | set(received))
    summaries = []
    for organisation_id in sorted(organisations):
        try:
            with transaction.atomic():
                summary = ReferralSummary.objects.create(
                    organisation_id=organisation_id,
                    day=day,
                    overdue_sent=sent.get(organisation_id, 0),
                    overdue_received=received.get(organisation_id, 0),
                )
                notify_organisation(
                    organisations[organisation_id],
                    event="referral_summary",
                    reference=day.isoformat(),
                    path=reverse("referrals:received") + "?overdue=1",
                    capability=Capability.VIEW_IDENTITIES,
                )
        except IntegrityError:
            continue  # already sent today (by an earlier or a parallel run)
        summaries.append(summary)
    return summaries
