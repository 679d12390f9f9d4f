"""Loading operations and their manifests for a member.

Contract: an operation belongs to its lead organisation; members of that organisation who may
see cases see it, and nobody else: another organisation's, a missing one and one the role may
not see all raise the same Http404. Names on the manifest are for roles that see identities
(``can_see_identities``); data analysts see counts only. Recording each read of a case shown
with a name (``record_accesses``) is the caller's job.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from okoa.accounts.models import Membership
from okoa.cases.access import can_edit_cases, can_see_cases, can_see_identities
from okoa.operations.models import ManifestEntry, Operation
from okoa.people.models import Person

__all__ = ["can_edit_cases", "can_see_cases", "can_see_identities"]


def operations_for_user(membership: Membership | None) -> QuerySet[Operation]:
    """Return the operations the member may see."""
    if not can_see_cases(membership):
        return Operation.objects.none()
    assert membership is not None
    return Operation.objects.filter(organisation_id=membership.organisation_id)


def get_operation_for_user(
    membership: Membership | None, code: str, *, write: bool = False
) -> Operation:
    """Return the operation with ``code`` if the member may see it (or change it, ``write``)."""
    if write and not can_edit_cases(membership):
        raise Http404
    operation = operations_for_user(membership).filter(code=code).first()
    if operation is None:
        raise Http404
    return operation


def manifest_for_user(membership: Membership | None, operation: Operation) -> list[ManifestEntry]:
    """The manifest with each person's case (empty for roles that do not see identities)."""
    if not can_see_identities(membership):
        return []
    return list(
        ManifestEntry.objects.filter(operation=operation).select_related(
            "case", "case__person", "case__person__nationality", "location_country"
        )
    )


def get_entry_for_user(
    membership: Membership | None, operation: Operation, case_code: str
) -> ManifestEntry:
    """Return the manifest entry of the case ``case_code``, for changing its status."""
    if not can_edit_cases(membership):
        raise Http404
    entry = (
        ManifestEntry.objects.filter(operation=operation, case__code=case_code)
        .select_related("case", "operation")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def manifest_counts(operation: Operation) -> dict[str, list[tuple[Any, int]]]:
    """Count the manifest by sex, nationality and status: one aggregate query each."""
    entries = ManifestEntry.objects.filter(operation=operation)
    sexes = dict(Person.Sex.choices)
    by_sex = entries.values("case__person__sex").annotate(count=Count("id")).order_by()
    by_nationality = (
        entries.values("case__person__nationality__code", "case__person__nationality__name")
        .annotate(count=Count("id"))
        .order_by("case__person__nationality__name")
    )
    by_status = entries.values("status").annotate(count=Count("id")).order_by()
    status_counts = {row["status"]: row["count"] for row in by_status}
    return {
        "sex": sorted(
            (sexes.get(row["case__person__sex"], row["case__person__sex"]), row["count"])
            for row in by_sex
        ),
        "nationality": [
            (row["case__person__nationality__code"] or "", row["count"]) for row in by_nationality
        ],
        "status": [
            (label, status_counts[value])
            for value, label in ManifestEntry.Status.choices
            if value in status_counts
        ],
    }
