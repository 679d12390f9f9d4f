"""Loading consents and referrals for a member.

Contract: referrals show survivors' details, so only members who see identities
(``VIEW_IDENTITIES``: caseworkers, supervisors, administrators) see them; changing them needs
``EDIT_CASES``. A referral is seen by the two organisations it joins and nobody else: for any
other member it is the same Http404 as a missing one.

* The *sender* (members of ``from_organisation``) sees everything the referral holds.
* The *receiver* (members of ``to_organisation``) sees the shared sections and the reason for
  the referral only while it is open (sent or accepted); once it is declined, completed or
  withdrawn, the receiver sees its metadata and outcome only: the encrypted snapshot, reason and
  the sender's notes are not even loaded. The receiver never gets the case itself (the case
  pages' own rules keep it out).

Consents belong to the case and follow its rules (``okoa.cases.access``). Recording each read is
the caller's job: for the sender a read of the case's person, for the receiver a read of the
referral (``record_kind="referral"``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone

from okoa.accounts.models import Capability, Membership, Organisation
from okoa.audit.models import AccessRecord
from okoa.cases.access import get_case_for_user
from okoa.cases.models import Case
from okoa.exchange.models import OutboundMessage
from okoa.referrals.models import (
    Consent,
    ExchangedReferral,
    Referral,
    ReferralDeadlines,
    ReferralEvent,
)

SENDER, RECEIVER = "sender", "receiver"
# Fields that hold survivors' details or free text; deferred wherever they are not shown.
PRIVATE_FIELDS = ("shared", "reason_note", "decline_note", "outcome_note", "withdraw_reason")


def can_see_referrals(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.VIEW_IDENTITIES)  # type: ignore[union-attr]


def can_act_on_referrals(membership: Membership | None) -> bool:
    return can_see_referrals(membership) and membership.can(Capability.EDIT_CASES)  # type: ignore[union-attr]


def can_set_deadlines(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.MANAGE_MEMBERS)  # type: ignore[union-attr]


def get_case_for_referrals(
    membership: Membership | None, code: str, *, write: bool = False
) -> Case:
    """Return the case whose consents and referrals are wanted (sender side)."""
    if not can_see_referrals(membership) or (write and not can_act_on_referrals(membership)):
        raise Http404
    return get_case_for_user(membership, code, write=write)


def consents_of_case(case: Case) -> list[Consent]:
    """The case's consents, newest first, with their organisations and who recorded them."""
    return list(
        Consent.objects.filter(case=case)
        .select_related("recorded_by", "withdrawn_by")
        .prefetch_related("organisations")
    )


def get_consent_for_user(membership: Membership | None, case: Case, code: str) -> Consent:
    """Return the consent ``code`` of the case (loaded through access) for withdrawing it."""
    if not can_act_on_referrals(membership):
        raise Http404
    consent = Consent.objects.filter(case=case, code=code).first()
    if consent is None:
        raise Http404
    return consent


def referrals_of_case(case: Case) -> list[Referral]:
    """The referrals sent from the case, newest first (metadata only)."""
    return list(
        Referral.objects.filter(case=case)
        .select_related("to_organisation", "service")
        .defer(*PRIVATE_FIELDS)
    )


@dataclass
class ReferralPage:
    """A referral as one member may see it: from which side, and whether the details show."""

    referral: Referral
    side: str
    shows_details: bool

    @property
    def is_sender(self) -> bool:
        return self.side == SENDER


def get_referral_for_user(
    membership: Membership | None, code: str, *, side: str | None = None
) -> ReferralPage:
    """Return the referral ``code`` if the member's organisation sent or received it.

    With ``side``, only that side may have it (the receiver answers, the sender withdraws).
    Another organisation's, a missing one and one the role may not see are the same Http404.
    """
    if not can_see_referrals(membership) or (side and not can_act_on_referrals(membership)):
        raise Http404
    assert membership is not None
    organisation_id = membership.organisation_id
    referral = (
        Referral.objects.filter(code=code)
        .filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))
        # Never the case: the receiver reads the snapshot, not the sender's case tables.
        .select_related("from_organisation", "to_organisation", "service", "sent_by")
        .defer(*PRIVATE_FIELDS)
        .first()
    )
    if referral is None:
        raise Http404
    found_side = SENDER if referral.from_organisation_id == organisation_id else RECEIVER
    if side is not None and side != found_side:
        raise Http404
    shows_details = found_side == SENDER or referral.is_open
    if shows_details:
        referral.refresh_from_db(fields=list(PRIVATE_FIELDS))
    else:
        # Closed, for the receiver: only its own answer's notes are read back; the snapshot,
        # the reason and the sender's notes are set empty so that nothing loads them later.
        referral.refresh_from_db(fields=["decline_note", "outcome_note"])
        referral.shared, referral.reason_note, referral.withdraw_reason = {}, "", ""
    if found_side == SENDER and referral.case_id is not None:
        referral.case = (
            Case.objects.select_related("person")
            .only("code", "reference", "status", "organisation_id", "person__code")
            .get(pk=referral.case_id)
        )
    return ReferralPage(referral=referral, side=found_side, shows_details=shows_details)


@dataclass(frozen=True)
class ReceiverReads:
    """How often the receiving organisation opened the referral, and when last."""

    count: int
    last_at: datetime.datetime | None


def receiver_reads(referral: Referral) -> ReceiverReads:
    """The receiver's reads of the referral, for its sender (closing the loop: was it seen?)."""
    reads = AccessRecord.objects.filter(
        organisation_id=referral.to_organisation_id,
        record_kind="referral",
        record_code=referral.code,
    ).aggregate(count=Count("id"), last_at=Max("at"))
    return ReceiverReads(count=reads["count"], last_at=reads["last_at"])


@dataclass(frozen=True)
class ExchangeState:
    """How a referral travels between installations, as its page says it (no message body)."""

    partner_name: str
    is_sent: bool
    # For a referral sent from here: whether the partner installation acknowledged it.
    delivered: bool
    # When the survivor's details were erased at the sender (here, or on the partner).
    erased_at: datetime.datetime | None = None
    # Sent from here and erased: whether the partner was told (a ``referral.erased`` message
    # was queued) and whether it acknowledged that message.
    erasure_sent: bool = False
    erasure_delivered: bool = False


def exchange_state(referral: Referral) -> ExchangeState | None:
    """The partner installation a referral went to or came from; None for a local referral."""
    exchanged = (
        ExchangedReferral.objects.filter(referral=referral).select_related("partner").first()
    )
    if exchanged is None:
        return None
    is_sent = exchanged.direction == ExchangedReferral.Direction.SENT
    delivered_ids = (
        set(
            OutboundMessage.objects.filter(
                message_id__in=[exchanged.message_id, exchanged.erasure_message_id],
                status=OutboundMessage.Status.DELIVERED,
            ).values_list("message_id", flat=True)
        )
        if is_sent
        else set()
    )
    return ExchangeState(
        exchanged.partner.name,
        is_sent,
        exchanged.message_id in delivered_ids,
        erased_at=exchanged.erased_at,
        erasure_sent=is_sent and exchanged.erasure_message_id is not None,
        erasure_delivered=exchanged.erasure_message_id in delivered_ids,
    )


def events_of_referral(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("by", "organisation"))


@dataclass(frozen=True)
class ReferralFilters:
    """The filters of the referral lists; empty values filter nothing."""

    status: str = ""
    overdue: bool = False


PAGE_SIZE = 100


def _listed(referrals, filters: ReferralFilters, *, with_case: bool) -> list[Referral]:
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.overdue:
        referrals = referrals.overdue(timezone.now())
    referrals = referrals.select_related("from_organisation", "to_organisation", "service")
    if with_case:  # the sender's own case reference; a list shows no narrative
        referrals = referrals.select_related("case").defer("case__narrative")
    return list(referrals.defer(*PRIVATE_FIELDS).order_by("-sent_at", "-id")[:PAGE_SIZE])


def referrals_received_for_user(
    membership: Membership | None, filters: ReferralFilters
) -> list[Referral]:
    """Referrals sent to the member's organisation, newest first (metadata only)."""
    if not can_see_referrals(membership):
        return []
    assert membership is not None
    received = Referral.objects.filter(to_organisation_id=membership.organisation_id)
    return _listed(received, filters, with_case=False)


def referrals_sent_for_user(
    membership: Membership | None, filters: ReferralFilters
) -> list[Referral]:
    """Referrals the member's organisation sent, newest first (metadata only)."""
    if not can_see_referrals(membership):
        return []
    assert membership is not None
    sent = Referral.objects.filter(from_organisation_id=membership.organisation_id)
    return _listed(sent, filters, with_case=True)


@dataclass(frozen=True)
class ListedReferral:
    """A line of a referral list: the referral (metadata only), the member's side of it, and
    for the sender its own case (code and reference only; None for the receiver)."""

    referral: Referral
    side: str
    case: Case | None


def referrals_for_user(membership: Membership | None):
    """The referrals the member's organisation sent or received; none for roles without them."""
    if not can_see_referrals(membership):
        return Referral.objects.none()
    assert membership is not None
    organisation_id = membership.organisation_id
    return Referral.objects.filter(
        Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id)
    )


def referral_page_for_user(
    membership: Membership | None,
    filters: ReferralFilters,
    *,
    direction: str = "",
    after: str | None = None,
    page_size: int = PAGE_SIZE,
) -> tuple[list[ListedReferral], str | None]:
    """Return one page of the organisation's referrals, newest first, and the next page's cursor.

    ``direction`` is "sent", "received" or "" (both). Keyset pagination on (sent_at, id): the
    cursor is the code of the last referral shown; an unknown one starts from the top (callers
    that page check it with ``referrals_for_user`` first). Metadata only, like the pages'
    lists: the sender's case is read for its code and reference, the receiver never reads it.
    """
    if not can_see_referrals(membership):
        return [], None
    assert membership is not None
    organisation_id = membership.organisation_id
    referrals = referrals_for_user(membership)
    if direction == "sent":
        referrals = referrals.filter(from_organisation_id=organisation_id)
    elif direction == "received":
        referrals = referrals.filter(to_organisation_id=organisation_id)
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.overdue:
        referrals = referrals.overdue(timezone.now())
    if after:
        last = referrals_for_user(membership).filter(code=after).values("sent_at", "id").first()
        if last is not None:
            referrals = referrals.filter(
                Q(sent_at__lt=last["sent_at"]) | Q(sent_at=last["sent_at"], id__lt=last["id"])
            )
    rows = list(
        referrals.select_related("from_organisation", "to_organisation", "service")
        .defer(*PRIVATE_FIELDS)
        .order_by("-sent_at", "-id")[: page_size + 1]
    )
    next_cursor = rows[page_size - 1].code if len(rows) > page_size else None
    listed = [
        (referral, SENDER if referral.from_organisation_id == organisation_id else RECEIVER)
        for referral in rows[:page_size]
    ]
    own_case_ids = {
        referral.case_id
        for referral, side in listed
        if side == SENDER and referral.case_id is not None
    }
    own_cases = {
        case.pk: case
        for case in Case.objects.filter(pk__in=own_case_ids, organisation_id=organisation_id).only(
            "code", "reference", "organisation_id"
        )
    }
    page = [
        ListedReferral(referral, side, own_cases.get(referral.case_id) if side == SENDER else None)
        for referral, side in listed
    ]
    return page, next_cursor


def overdue_counts_for_user(membership: Membership | None) -> tuple[int, int]:
    """How many referrals are overdue: (received, sent) by the member's organisation."""
    if not can_see_referrals(membership):
        return 0, 0
    assert membership is not None
    overdue = Referral.objects.overdue(timezone.now())
    return (
        overdue.filter(to_organisation_id=membership.organisation_id).count(),
        overdue.filter(from_organisation_id=membership.organisation_id).count(),
    )


def overdue_referrals_for_user(membership: Membership | None):
    """The overdue referrals of the member's organisation, sent or received, oldest first."""
    if not can_see_referrals(membership):
        return Referral.objects.none()
    assert membership is not None
    organisation_id = membership.organisation_id
    return (
        Referral.objects.overdue(timezone.now())
        .filter(Q(from_organisation_id=organisation_id) | Q(to_organisation_id=organisation_id))
        .select_related("from_organisation", "to_organisation")
        .defer(*PRIVATE_FIELDS)
        .order_by("respond_by", "id")
    )


def organisations_to_refer_to(membership: Membership | None):
    """The active organisations other than the member's own."""
    assert membership is not None
    return Organisation.objects.filter(is_active=True).exclude(pk=membership.organisation_id)


def deadlines_for_admin(membership: Membership | None) -> ReferralDeadlines | None:
    """The organisation's referral deadlines (None: the defaults); 404 for non-administrators."""
    if not can_set_deadlines(membership):
        raise Http404
    assert membership is not None
    return ReferralDeadlines.objects.filter(organisation_id=membership.organisation_id).first()
