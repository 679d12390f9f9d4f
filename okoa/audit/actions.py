"""Write access and change records. Callers pass opaque codes only, never personal data."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from okoa.accounts.models import Membership, User
from okoa.audit.models import AccessRecord, ChangeRecord, ExportRecord
from okoa.lib import rows


def client_address(request: HttpRequest | None) -> str | None:
    """Return the client's address as the server saw it (proxies set REMOTE_ADDR via WSGI)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    membership: Membership,
    *,
    record_kind: str,
    record_code: str,
    channel: str,
    request: HttpRequest | None = None,
) -> None:
    """Log one read of a record by the member."""
    AccessRecord.objects.create(
        user=membership.user,
        organisation=membership.organisation,
        record_kind=record_kind,
        record_code=record_code,
        channel=channel,
        ip_address=client_address(request),
    )


def record_accesses(
    membership: Membership,
    *,
    record_kind: str,
    record_codes: Iterable[str],
    channel: str,
    request: HttpRequest | None = None,
) -> None:
    """Log reads of several records at once (a list page that shows names)."""
    address = client_address(request)
    records = [
        AccessRecord(
            user_id=membership.user_id,
            organisation_id=membership.organisation_id,
            record_kind=record_kind,
            record_code=code,
            channel=channel,
            ip_address=address,
        )
        for code in record_codes
    ]
    # A plain statement (okoa.lib.rows): on a case list page the ORM's bulk_create spent more
    # time building its INSERT than the database took to run it.
    rows.insert(records)


def record_change(
    *,
    organisation_id: int,
    record_kind: str,
    record_code: str,
    action: str,
    fields: Iterable[str] = (),
    by: User | None,
) -> None:
    """Log a change to a record by field name."""
    rows.insert(
        [
            ChangeRecord(
                organisation_id=organisation_id,
                record_kind=record_kind,
                record_code=record_code,
                action=action,
                fields=sorted(fields),
                user=by,
            )
        ]
    )


def record_export(
    membership: Membership,
    *,
    kind: str,
    row_count: int,
    includes_identities: bool,
    reason: str,
    filters: dict[str, object],
) -> ExportRecord:
    """Log an export before it is sent; ``filters`` hold codes and choices, never names."""
    return ExportRecord.objects.create(
        user=membership.user,
        organisation=membership.organisation,
        kind=kind,
        row_count=row_count,
        includes_identities=includes_identities,
        reason=reason,
        filters=filters,
    )
