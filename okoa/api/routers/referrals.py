"""Referrals: read the organisation's referrals, sent and received, for integrations.

Read only, on purpose: sending, answering and withdrawing a referral stay in the pages (where
consent, the shared sections and the answers are chosen, with their checks and notifications)
and in the exchange between installations. There are no create or answer operations here.

The rules are the referral pages' (``okoa.referrals.access``): only members who see identities
(caseworkers, supervisors, administrators) read referrals. For the list, other roles get 403,
as on the pages; for one referral, the same 404 as for a missing one or another organisation's.
The sender sees everything its page shows; the receiver sees the reason and the shared
sections only while the referral is open. Each read of one referral leaves the access records
its page leaves (channel ``api``): the referral, and for the sender the survivor's file. The
list names nobody and is not recorded, like the pages' lists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from okoa.api.auth import membership_of
from okoa.api.schemas import (
    READ_ERRORS,
    ErrorOut,
    ReferralListQuery,
    ReferralOut,
    ReferralPageOut,
    referral_detail,
    referral_summary,
)
from okoa.audit.actions import record_access
from okoa.referrals.access import (
    ReferralFilters,
    can_see_referrals,
    events_of_referral,
    exchange_state,
    get_referral_for_user,
    receiver_reads,
    referral_page_for_user,
    referrals_for_user,
)
from okoa.referrals.snapshot import describe

router = Router(tags=["referrals"])


@router.get("", response={200: ReferralPageOut, 403: ErrorOut, **READ_ERRORS})
def list_referrals(request: HttpRequest, query: Query[ReferralListQuery]) -> dict[str, Any]:
    """List the referrals the organisation sent and received, newest first, one page at a time
    (pass next_cursor as cursor). Metadata only: no name, no note, no shared section."""
    membership = membership_of(request)
    if not can_see_referrals(membership):
        raise PermissionDenied(_("Your role does not include survivors' details."))
    # An unknown cursor would start again from the top: a client paging through would loop.
    if query.cursor and not referrals_for_user(membership).filter(code=query.cursor).exists():
        raise ValidationError({"cursor": [_("This cursor is not valid; start again.")]})
    filters = ReferralFilters(status=query.status or "", overdue=query.overdue)
    listed, next_cursor = referral_page_for_user(
        membership,
        filters,
        direction=query.direction or "",
        after=query.cursor,
        page_size=query.limit,
    )
    return {"items": [referral_summary(entry) for entry in listed], "next_cursor": next_cursor}


@router.get("/{code}", response={200: ReferralOut, **READ_ERRORS})
def get_referral(request: HttpRequest, code: str) -> dict[str, Any]:
    """Read one referral as the organisation's referral page shows it."""
    membership = membership_of(request)
    page = get_referral_for_user(membership, code)
    referral = page.referral
    if page.is_sender and referral.case is not None:
        # The sender reads its own survivor's file (the snapshot is a copy of it).
        record_access(
            membership,
            record_kind="person",
            record_code=referral.case.person.code,
            channel="api",
            request=request,
        )
    record_access(
        membership,
        record_kind="referral",
        record_code=referral.code,
        channel="api",
        request=request,
    )
    return referral_detail(
        page,
        sections=describe(referral.shared, referral.sections) if page.shows_details else [],
        events=events_of_referral(referral),
        reads=receiver_reads(referral) if page.is_sender else None,
        exchange=exchange_state(referral),
    )
