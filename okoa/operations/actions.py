"""Changing operations, their partners and their manifests.

Contract: every function is atomic, takes the actor as ``by=`` and leaves an event. Each person
on a manifest gets their own Person and Case through the people and cases actions, so the same
validation applies as on the forms. A manifest entry's status only moves forward along
``ManifestEntry.TRANSITIONS``; any other move is a correction and needs a reason. Importing a
manifest is one transaction: if any row is refused nothing is saved, unless the caller asked
for the valid rows only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation, User
from okoa.audit.actions import record_change
from okoa.cases.actions import open_case, record_event
from okoa.cases.models import Case, CaseEvent
from okoa.operations.models import (
    PARTNER_NAME_LIMIT,
    REASON_LIMIT,
    ManifestEntry,
    ManifestEvent,
    Operation,
    OperationPartner,
)
from okoa.people.actions import create_person
from okoa.reference.models import Country

OPERATION_FIELDS = ("name", "status", "started_on")


class StaleEdit(ValidationError):
    """Someone else changed the operation since the editor loaded it."""


def _validate_operation(values: dict[str, Any]) -> None:
    if "name" in values and not (values["name"] or "").strip():
        raise ValidationError({"name": [_("Give the operation a name.")]})
    if "status" in values and values["status"] not in Operation.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})


@transaction.atomic
def create_operation(
    organisation: Organisation,
    *,
    by: User | None,
    name: str,
    countries: Iterable[Country] = (),
    status: str = Operation.Status.PLANNING,
    started_on: datetime.date | None = None,
) -> Operation:
    """Start an operation led by ``organisation``."""
    _validate_operation({"name": name, "status": status})
    operation = Operation.objects.create(
        organisation=organisation,
        name=name.strip(),
        status=status,
        started_on=started_on,
        created_by=by,
    )
    operation.countries.set(list(countries))
    record_change(
        organisation_id=organisation.pk,
        record_kind="operation",
        record_code=operation.code,
        action="created",
        fields=["name", "status", "countries", "started_on"],
        by=by,
    )
    return operation


@transaction.atomic
def update_operation(
    operation: Operation,
    *,
    by: User | None,
    expected_version: int | None = None,
    countries: Iterable[Country] | None = None,
    **values: Any,
) -> Operation:
    """Change the operation's details; with ``expected_version``, refuse a stale edit."""
    unknown = set(values) - set(OPERATION_FIELDS)
    if unknown:
        raise ValueError(f"Not operation details: {', '.join(sorted(unknown))}")
    # Lock the row so two editors cannot both pass the version check.
    current = Operation.objects.select_for_update().get(pk=operation.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _("Someone else changed this operation while you were editing. Reload and try again.")
        )
    _validate_operation(values)
    for name, value in values.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current.save(update_fields=[*values, "version"])
    if countries is not None:
        current.countries.set(list(countries))
    record_change(
        organisation_id=current.organisation_id,
        record_kind="operation",
        record_code=current.code,
        action="updated",
        fields=[*values, *(["countries"] if countries is not None else [])],
        by=by,
    )
    operation.refresh_from_db()
    return current


@transaction.atomic
def add_operation_partner(
    operation: Operation,
    *,
    by: User | None,
    role: str,
    organisation: Organisation | None = None,
    external_name: str = "",
    notes: str = "",
) -> OperationPartner:
    """List a partner of the operation: an Okoa organisation or one named in free text."""
    errors: dict[str, list[str]] = {}
    if role not in OperationPartner.Role.values:
        errors["role"] = [_("Choose a role from the list.")]
    if organisation is None and not external_name.strip():
        errors["external_name"] = [_("Choose an organisation or write the partner's name.")]
    elif organisation is None and len(external_name.strip()) > PARTNER_NAME_LIMIT:
        errors["external_name"] = [
            _("Write at most %(limit)d characters.") % {"limit": PARTNER_NAME_LIMIT}
        ]
    if organisation is not None and organisation.pk == operation.organisation_id:
        errors["organisation"] = [_("The lead organisation is not its own partner.")]
    if errors:
        raise ValidationError(errors)
    partner = OperationPartner.objects.create(
        operation=operation,
        organisation=organisation,
        external_name="" if organisation else external_name.strip(),
        role=role,
        notes=notes.strip(),
    )
    record_change(
        organisation_id=operation.organisation_id,
        record_kind="operation",
        record_code=operation.code,
        action="partner_added",
        fields=["partners"],
        by=by,
    )
    return partner


@transaction.atomic
def add_to_manifest(
    operation: Operation,
    *,
    by: User | None,
    person: dict[str, Any],
    estimated_age: int | None = None,
    location_country: Country | None = None,
    status: str = ManifestEntry.Status.LOCATED,
) -> ManifestEntry:
    """Record a person on the manifest: a new Person and Case at the lead organisation."""
    if status not in ManifestEntry.Status.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    created = create_person(operation.organisation, by=by, estimated_age=estimated_age, **person)
    return add_case_to_manifest(
        operation,
        case=open_case(created, by=by),
        by=by,
        location_country=location_country,
        status=status,
    )


@transaction.atomic
def add_case_to_manifest(
    operation: Operation,
    *,
    case: Case,
    by: User | None,
    location_country: Country | None = None,
    status: str = ManifestEntry.Status.LOCATED,
) -> ManifestEntry:
    """Put an existing case of the lead organisation on the manifest."""
    errors: dict[str, list[str]] = {}
    if status not in ManifestEntry.Status.values:
        errors["status"] = [_("Choose a status from the list.")]
    if case.organisation_id != operation.organisation_id:
        errors["case"] = [_("Choose a case of the lead organisation.")]
    elif ManifestEntry.objects.filter(case=case).exists():
        errors["case"] = [_("This case is already on a manifest.")]
    if errors:
        raise ValidationError(errors)
    entry = ManifestEntry.objects.create(
        operation=operation, case=case, status=status, location_country=location_country
    )
    ManifestEvent.objects.create(entry=entry, to_status=status, by=by)
    record_event(case, CaseEvent.Kind.OPERATION_STATUS, by=by, operation=operation.code, to=status)
    return entry


@transaction.atomic
def change_manifest_status(
    entry: ManifestEntry,
    *,
    to: str,
    by: User | None,
    reason: str = "",
    expected_version: int | None = None,
) -> ManifestEntry:
    """Move the person's status forward, or correct it backward with a reason."""
    current = ManifestEntry.objects.select_for_update().get(pk=entry.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _("Someone else changed this status while you were editing. Reload and try again.")
        )
    if to not in ManifestEntry.Status.values:
        raise ValidationError({"to": [_("Choose a status from the list.")]})
    if to == current.status:
        return current
    reason = reason.strip()
    if not current.can_move_to(to) and not reason:
        raise ValidationError(
            {"reason": [_("This is not the next step. To correct the status, give a reason.")]}
        )
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": [_("Write at most %(limit)d characters.") % {"limit": REASON_LIMIT}]}
        )
    previous = current.status
    current.status, current.status_changed_at = to, timezone.now()
    current.version += 1
    current.save(update_fields=["status", "status_changed_at", "version"])
    ManifestEvent.objects.create(
        entry=current, from_status=previous, to_status=to, reason=reason, by=by
    )
    record_event(
        current.case,
        CaseEvent.Kind.OPERATION_STATUS,
        by=by,
        operation=current.operation.code,
        to=to,
        corrected=bool(reason) and not ManifestEntry(status=previous).can_move_to(to),
    )
    return current


@dataclass
class RowError:
    """One problem with one row of a manifest file (row 1 is the header)."""

    row: int
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import did: rows saved and the problems found, row by row."""

    rows: int = 0
    saved: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


@transaction.atomic
def import_manifest(
    operation: Operation,
    *,
    rows: list[Any],
    by: User | None,
    valid_rows_only: bool = False,
) -> ImportReport:
    """Add every row of a parsed manifest (``okoa.operations.manifest``) to the operation.

    Every row is tried in its own savepoint so that all problems are reported at once. If any
    row is refused, everything is rolled back unless ``valid_rows_only``.
    """
    report = ImportReport(rows=len(rows))
    for row in rows:
        report.errors.extend(RowError(row.number, name, text) for name, text in row.errors)
        if row.errors:
            continue
        try:
            with transaction.atomic():
                add_to_manifest(operation, by=by, **row.values)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                report.errors.extend(RowError(row.number, name, text) for text in messages)
        else:
            report.saved += 1
    if report.errors and not valid_rows_only:
        transaction.set_rollback(True)
        report.saved = 0
    return report
