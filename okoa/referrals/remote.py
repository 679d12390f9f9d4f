"""Referrals to and from other Okoa installations: what their messages say, and queueing them.

A referral to an organisation of a partner installation (its local *stand-in*, see
``okoa.exchange``) travels as signed, encrypted messages; docs/exchange.md lists their bodies:

* ``referral.sent`` (sender → receiver): the referral as the receiver may see it: the sender's
  code for it, urgency, kind of service, when it was sent and the answer expected, the shared
  sections with their snapshot, and the reason. Nothing else of the case: no case or person
  code, no reference, no caseworker.
* ``referral.answered`` (receiver → sender, in reply to ``referral.sent``): accepted, declined
  (reason and note) or completed (outcome and note).
* ``referral.withdrawn`` (sender → receiver): the sender withdrew it. The reason stays with
  the sender (a receiver never sees it on its own installation either).
* ``referral.erased`` (sender → receiver): the sender erased the survivor's details (an
  erasure request or the retention period); the receiver wipes its copy. Only the sender's
  code for the referral travels: never the reason for the erasure, never a detail of anybody.

Contract:

* ``queue_sent``, ``queue_move`` and ``queue_erased`` run inside the transaction of the action
  that made the change (``okoa.referrals.actions``): the message exists exactly when the change
  does and leaves once it commits.
* ``parse_sent``, ``parse_answer``, ``parse_withdrawn`` and ``parse_erased`` check a received
  body completely and return plain values; anything else raises ``ValidationError`` naming the
  field, never quoting a value (the transport then refuses the message and records the
  refusal). A snapshot keeps only the fields this installation knows how to show, each of the
  type ``take_snapshot`` writes: a partner's page never breaks on what another version sent.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from okoa.directory.models import ServiceKind
from okoa.exchange.actions import send
from okoa.exchange.models import OutboundMessage, RemoteOrganisation
from okoa.referrals.models import MINIMUM_SECTIONS, ExchangedReferral, Referral, Section

SENT = "referral.sent"
ANSWERED = "referral.answered"
WITHDRAWN = "referral.withdrawn"
ERASED = "referral.erased"
KINDS = (SENT, ANSWERED, WITHDRAWN, ERASED)

Status = Referral.Status
# What a receiver's answer may say; a withdrawal is a message of its own.
ANSWERS = (Status.ACCEPTED, Status.DECLINED, Status.COMPLETED)

CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Generous bounds (the forms and the API accept less); the whole body is at most 512 KiB.
MAX_NOTE = 20_000  # a reason or a note
MAX_TEXT = 100_000  # one text of a snapshot (a narrative)
MAX_ITEMS = 500  # one list of a snapshot (phone numbers, goals, hearings...)


# Sending ---------------------------------------------------------------------------------------


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sent_body(referral: Referral) -> dict[str, Any]:
    """The ``referral.sent`` body of a referral: what the receiver sees, and nothing more."""
    return {
        "referral": referral.code,
        "urgency": referral.urgency,
        "service_kind": referral.service_kind,
        "sent_at": _timestamp(referral.sent_at),
        "respond_by": _timestamp(referral.respond_by),
        "sections": list(referral.sections),
        "shared": referral.shared,
        "reason_note": referral.reason_note,
    }


def answer_body(referral: Referral, sender_code: str) -> dict[str, Any]:
    """The ``referral.answered`` body of the receiver's latest answer."""
    body: dict[str, Any] = {
        "referral": sender_code,
        "receiver_referral": referral.code,
        "status": referral.status,
    }
    if referral.status == Status.DECLINED:
        body.update(reason=referral.decline_reason, note=referral.decline_note)
    elif referral.status == Status.COMPLETED:
        body.update(outcome=referral.outcome, note=referral.outcome_note)
    return body


def queue_sent(referral: Referral, remote: RemoteOrganisation) -> OutboundMessage:
    """Queue the ``referral.sent`` message of a referral to a partner's organisation.

    ValidationError (on ``sections``) if the partner would refuse the body (the checks of
    ``parse_sent``) or it is too large for one message: better refused now than lost later.
    """
    body = sent_body(referral)
    try:
        parse_sent(body)
        message = send(
            kind=SENT,
            body=body,
            from_organisation=referral.from_organisation,
            to_organisation=referral.to_organisation,
        )
    except (ValidationError, ValueError) as error:
        # The recipient was checked by the caller: what is left is the body.
        raise ValidationError(
            {
                "sections": [
                    _(
                        "The shared details cannot be sent to another installation (too "
                        "large?): share fewer sections or a shorter reason."
                    )
                ]
            }
        ) from error
    ExchangedReferral.objects.create(
        referral=referral,
        partner=remote.partner,
        direction=ExchangedReferral.Direction.SENT,
        message_id=message.message_id,
    )
    return message


def queue_move(referral: Referral) -> OutboundMessage | None:
    """Tell the partner installation on the other side of ``referral`` of its new status.

    The receiver's answers go to the sender (``referral.answered``), the sender's withdrawal to
    the receiver (``referral.withdrawn``). None for a referral between local organisations. A
    partner that is not active now gets the message once it is active again: a move made here
    (a withdrawal after consent was withdrawn) is never refused for want of a connection.
    """
    link = ExchangedReferral.objects.filter(referral=referral).first()
    if link is None:
        return None
    if link.direction == ExchangedReferral.Direction.RECEIVED:
        return send(
            kind=ANSWERED,
            body=answer_body(referral, link.remote_code),
            from_organisation=referral.to_organisation,
            to_organisation=referral.from_organisation,
            in_reply_to=link.message_id,
            even_if_inactive=True,
        )
    return send(
        kind=WITHDRAWN,
        body={"referral": referral.code},
        from_organisation=referral.from_organisation,
        to_organisation=referral.to_organisation,
        even_if_inactive=True,
    )


def may_have_arrived(exchanged: ExchangedReferral) -> bool:
    """Whether the ``referral.sent`` message of a referral sent from here may have reached the
    partner: delivered, or posted at least once. An attempt that was not acknowledged (a
    timeout, a lost answer) may still have been taken in there, so only a message that never
    left (queued, never tried) is sure not to have.
    """
    message = (
        OutboundMessage.objects.filter(message_id=exchanged.message_id)
        .only("status", "attempts", "last_error")
        .first()
    )
    return message is None or not (
        message.status == OutboundMessage.Status.QUEUED
        and message.attempts == 0
        and not message.last_error
    )


def queue_erased(referral: Referral) -> OutboundMessage:
    """Queue the ``referral.erased`` message of a referral sent from here to a partner.

    The body names the referral by its code and nothing else. Queued even to an inactive
    partner or organisation: it waits, and the partner's copy goes once it is delivered.
    """
    return send(
        kind=ERASED,
        body={"referral": referral.code},
        from_organisation=referral.from_organisation,
        to_organisation=referral.to_organisation,
        even_if_inactive=True,
    )


def note_not_kept() -> str:
    """What stands for an answer's note once the survivor's details were erased at the sender
    (a note is required with "another reason" or "another outcome")."""
    return _("Not kept: the survivor's details were erased at the referring installation.")


def drop_notes_of_waiting_answers(exchanged: ExchangedReferral) -> int:
    """Replace the notes of this installation's answers about a received referral that still
    wait in the outbox; return how many changed.

    For a referral whose sender erased the survivor's details: the sender keeps no note about
    her any more (``okoa.referrals.kinds``), so none leaves here either. The answer's category
    (accepted, the reason for declining, the outcome) still goes. A sender thread holding one
    right now may still deliver it as it read it (at most this once).
    """
    changed = 0
    waiting = (
        OutboundMessage.objects.select_for_update()
        .filter(
            partner_id=exchanged.partner_id,
            kind=ANSWERED,
            in_reply_to=exchanged.message_id,
            body__isnull=False,
        )
        .exclude(status=OutboundMessage.Status.DELIVERED)
        .order_by("id")
    )
    for message in waiting:
        body = dict(message.body or {})
        if body.get("note"):
            body["note"] = note_not_kept()
            OutboundMessage.objects.filter(pk=message.pk).update(body=body)
            changed += 1
    return changed


# Receiving -------------------------------------------------------------------------------------


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _code(body: dict[str, Any], name: str = "referral") -> str:
    value = body.get(name)
    if not isinstance(value, str) or not CODE.match(value):
        raise _refuse(name, _("A referral's code is missing or malformed."))
    return value


def _choice(body: dict[str, Any], name: str, choices: list[str]) -> str:
    value = body.get(name)
    if value not in choices:
        raise _refuse(name, _("This value is not one of the known choices."))
    return str(value)


def _note(body: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > MAX_NOTE or "\x00" in value:
        raise _refuse(name, _("This text is not a text, or is too long."))
    value = value.strip()
    if required and not value:
        raise _refuse(name, _("This text is missing."))
    return value


def _time(body: dict[str, Any], name: str) -> datetime.datetime:
    value = body.get(name)
    try:
        if not isinstance(value, str) or not value.endswith("Z") or len(value) > 40:
            raise ValueError(name)
        return datetime.datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        raise _refuse(
            name, _("This time is missing or not in UTC (ISO 8601 ending in Z).")
        ) from None


@dataclass(frozen=True)
class ReceivedReferral:
    """A checked ``referral.sent`` body."""

    sender_code: str
    urgency: str
    service_kind: str
    sent_at: datetime.datetime
    respond_by: datetime.datetime
    sections: list[str]
    shared: dict[str, Any]
    reason_note: str


def parse_sent(body: dict[str, Any]) -> ReceivedReferral:
    """Check a ``referral.sent`` body; ValidationError names the first field that is wrong."""
    sender_code = _code(body)
    urgency = _choice(body, "urgency", Referral.Urgency.values)
    service_kind = _choice(body, "service_kind", ServiceKind.values)
    sent_at, respond_by = _time(body, "sent_at"), _time(body, "respond_by")
    if respond_by < sent_at:
        raise _refuse(
            "respond_by", _("The answer cannot be expected before the referral was sent.")
        )
    sections = body.get("sections")
    if (
        not isinstance(sections, list)
        or not all(isinstance(name, str) for name in sections)
        or len(set(sections)) != len(sections)
        or set(sections) - set(Section.values)
        or not set(MINIMUM_SECTIONS) <= set(sections)
    ):
        raise _refuse("sections", _("The shared sections are not a list of known sections."))
    shared = check_snapshot(body.get("shared"), sections)
    return ReceivedReferral(
        sender_code=sender_code,
        urgency=urgency,
        service_kind=service_kind,
        sent_at=sent_at,
        respond_by=respond_by,
        sections=sorted(sections),
        shared=shared,
        reason_note=_note(body, "reason_note", required=True),
    )


@dataclass(frozen=True)
class ReceivedAnswer:
    """A checked ``referral.answered`` body."""

    sender_code: str
    receiver_code: str
    status: str
    reason: str = ""
    outcome: str = ""
    note: str = ""


def parse_answer(body: dict[str, Any]) -> ReceivedAnswer:
    """Check a ``referral.answered`` body (the move's own rules are the actions')."""
    sender_code, receiver_code = _code(body), _code(body, "receiver_referral")
    status = _choice(body, "status", [str(answer) for answer in ANSWERS])
    if status == Status.DECLINED:
        return ReceivedAnswer(
            sender_code,
            receiver_code,
            status,
            reason=_choice(body, "reason", Referral.DeclineReason.values),
            note=_note(body, "note"),
        )
    if status == Status.COMPLETED:
        return ReceivedAnswer(
            sender_code,
            receiver_code,
            status,
            outcome=_choice(body, "outcome", Referral.Outcome.values),
            note=_note(body, "note"),
        )
    return ReceivedAnswer(sender_code, receiver_code, status)


def parse_withdrawn(body: dict[str, Any]) -> str:
    """Check a ``referral.withdrawn`` body; return the sender's code of the referral."""
    return _code(body)


def parse_erased(body: dict[str, Any]) -> str:
    """Check a ``referral.erased`` body; return the sender's code of the referral."""
    return _code(body)


# Snapshots from another installation -----------------------------------------------------------

# The fields of each section as ``okoa.referrals.snapshot.take_snapshot`` writes them. Keep the
# two in step: ``test_every_shared_section_survives_the_trip`` fails when they drift.
_TEXT, _AGE, _FLAG, _TEXTS, _LEVELS = "text", "age", "flag", "texts", "levels"
SNAPSHOT_FIELDS: dict[str, dict[str, Any]] = {
    Section.BASIC: {
        "given_name": _TEXT,
        "sex": _TEXT,
        "age": _AGE,
        "age_is_estimated": _FLAG,
        "nationality": _TEXT,
        "county": _TEXT,
    },
    Section.CONTACT: {"phone_numbers": _TEXTS, "languages": _TEXTS},
    Section.IDENTITY_DOCUMENTS: {
        "full_name": _TEXT,
        "date_of_birth": _TEXT,
        "national_id_number": _TEXT,
        "passport_number": _TEXT,
    },
    Section.NARRATIVE: {
        "narrative": _TEXT,
        "identified_on": _TEXT,
        "exploitation_types": _TEXTS,
        "countries_of_exploitation": _TEXTS,
    },
    Section.SCREENING: {
        "screened_on": _TEXT,
        "suggestion": _TEXT,
        "decision": _TEXT,
        "age_group": _TEXT,
    },
    Section.NEEDS: {"assessed_on": _TEXT, "levels": _LEVELS},
    Section.CARE_PLAN: {
        "goals": [{"area": _TEXT, "status": _TEXT, "target_on": _TEXT}],
        "services": [{"kind": _TEXT, "status": _TEXT, "provider": _TEXT}],
    },
    Section.LEGAL: {
        "stage": _TEXT,
        "ob_number": _TEXT,
        "police_station": _TEXT,
        "reported_on": _TEXT,
        "p3_status": _TEXT,
        "court": _TEXT,
        "court_case_number": _TEXT,
        "survivor_role": _TEXT,
        "hearings": _TEXTS,
    },
    Section.SHELTER_NEEDS: {
        "levels": _LEVELS,
        "disability": _TEXT,
        "languages": _TEXTS,
        "dependants": [{"relationship": _TEXT, "sex": _TEXT, "age": _AGE}],
    },
}


class _Malformed(Exception):
    pass


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
        raise _Malformed
    return value


def _checked(value: Any, spec: Any) -> Any:
    if isinstance(spec, dict):  # an object: the known fields, each optional; others dropped
        if not isinstance(value, dict):
            raise _Malformed
        return {name: _checked(value[name], inner) for name, inner in spec.items() if name in value}
    if isinstance(spec, list):  # a list of objects
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise _Malformed
        return [_checked(item, spec[0]) for item in value]
    if spec == _TEXT:
        return _text(value)
    if spec == _TEXTS:
        if not isinstance(value, list) or len(value) > MAX_ITEMS:
            raise _Malformed
        return [_text(item) for item in value]
    if spec == _AGE:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
            raise _Malformed
        return value
    if spec == _FLAG:
        if not isinstance(value, bool):
            raise _Malformed
        return value
    if spec == _LEVELS:
        if not isinstance(value, dict) or len(value) > MAX_ITEMS:
            raise _Malformed
        return {_text(area): _text(level) for area, level in value.items()}
    raise AssertionError(f"Unknown snapshot field type {spec!r}")


def check_snapshot(shared: Any, sections: list[str]) -> dict[str, Any]:
    """Check the snapshot of a received referral; keep the known fields of its sections only."""
    if not isinstance(shared, dict):
        raise _refuse("shared", _("The shared details are not an object."))
    checked: dict[str, Any] = {}
    try:
        if "version" in shared:
            version = shared["version"]
            if isinstance(version, bool) or not isinstance(version, int):
                raise _Malformed
            checked["version"] = version
        if "taken_on" in shared:
            checked["taken_on"] = _text(shared["taken_on"])
        for name in sections:
            checked[name] = _checked(shared.get(name) or {}, SNAPSHOT_FIELDS[name])
    except _Malformed:
        raise _refuse("shared", _("The shared details do not have the expected form.")) from None
    return checked
