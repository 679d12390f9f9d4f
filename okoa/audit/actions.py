"""Write access and change records. Callers pass opaque codes only, never personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from okoa.accounts.models import Membership, User
from okoa.audit.models import AccessRecord, ChangeRecord, ExportRecord


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
    """Log reads of several records at once (a list page that shows names).

    One multi-row INSERT of plain values: every list page that shows names writes one row per
    record it shows, and building 25 model instances for ``bulk_create`` cost more than the rest
    of the write (docs/benchmarks.md, case list). The values are those ``record_access`` writes.
    """
    codes = list(record_codes)
    if not codes:
        return
    column_of = {field.name: str(field.column) for field in AccessRecord._meta.concrete_fields}
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    address = connection.ops.adapt_ipaddressfield_value(client_address(request))
    organisation_id = membership.organisation_id
    user_id = membership.user_id
    row = "(" + ", ".join(["%s"] * len(_ACCESS_COLUMNS)) + ")"
    table = connection.ops.quote_name(AccessRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column_of[name]) for name in _ACCESS_COLUMNS)
    # All or nothing, in batches that stay under the databases' limits on parameters.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(codes), _ACCESS_BATCH):
            batch = codes[start : start + _ACCESS_BATCH]
            values: list[Any] = []
            for code in batch:
                values += [at, user_id, organisation_id, record_kind, code, channel, address]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from the model)
                + ", ".join([row] * len(batch)),
                values,
            )


_ACCESS_BATCH = 500
_ACCESS_COLUMNS = (
    "at",
    "user",
    "organisation",
    "record_kind",
    "record_code",
    "channel",
    "ip_address",
)


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
    ChangeRecord.objects.create(
        organisation_id=organisation_id,
        record_kind=record_kind,
        record_code=record_code,
        action=action,
        fields=sorted(fields),
        user=by,
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
