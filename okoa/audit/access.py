"""Reading the audit trail.

Contract: the trail of a record is shown to members who may see that record (who opened it is
part of the file's accountability); the organisation-wide trail, by user or by record, only to
organisation administrators (MANAGE_MEMBERS). Nobody sees another organisation's trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.audit.models import AccessRecord, ChangeRecord

PAGE_SIZE = 50


def recent_reads_of_record(
    membership: Membership, *, record_kind: str, record_code: str, limit: int = 20
) -> list[AccessRecord]:
    """Return the latest reads of one record of the member's organisation, newest first.

    The caller has already loaded the record through its access function.
    """
    return list(
        AccessRecord.objects.filter(
            organisation_id=membership.organisation_id,
            record_kind=record_kind,
            record_code=record_code,
        )
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


def changes_of_record(
    membership: Membership, *, record_kind: str, record_code: str, limit: int = 50
) -> list[ChangeRecord]:
    """Return the changes of one record of the member's organisation, newest first."""
    return list(
        ChangeRecord.objects.filter(
            organisation_id=membership.organisation_id,
            record_kind=record_kind,
            record_code=record_code,
        )
        .select_related("user")
        .order_by("-at", "-id")[:limit]
    )


def require_audit_reader(membership: Membership | None) -> Membership:
    """Return the membership if it may read the organisation's whole trail, else 404."""
    if not membership or not membership.can(Capability.MANAGE_MEMBERS):
        raise Http404
    return membership


@dataclass(frozen=True)
class TrailFilters:
    """Filters of the organisation's trail: a user's opaque code, a record's kind and code."""

    user_code: str = ""
    record_kind: str = ""
    record_code: str = ""


def access_page_for_admin(
    membership: Membership | None, filters: TrailFilters, *, before: int | None = None
) -> tuple[list[AccessRecord], int | None]:
    """Return one page of the organisation's reads, newest first, and the next page's cursor."""
    admin = require_audit_reader(membership)
    records = AccessRecord.objects.filter(organisation_id=admin.organisation_id)
    return _page(records, filters, before)


def change_page_for_admin(
    membership: Membership | None, filters: TrailFilters, *, before: int | None = None
) -> tuple[list[ChangeRecord], int | None]:
    """Return one page of the organisation's changes, newest first, and the next cursor."""
    admin = require_audit_reader(membership)
    records = ChangeRecord.objects.filter(organisation_id=admin.organisation_id)
    return _page(records, filters, before)


def _page(records, filters: TrailFilters, before: int | None):
    if filters.user_code:
        records = records.filter(user__code=filters.user_code)
    if filters.record_kind:
        records = records.filter(record_kind=filters.record_kind)
    if filters.record_code:
        records = records.filter(record_code=filters.record_code)
    if before is not None:
        # Audit rows are not personal records: their ids may serve as the cursor.
        records = records.filter(id__lt=before)
    rows = list(records.select_related("user").order_by("-id")[: PAGE_SIZE + 1])
    next_cursor = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], next_cursor
