"""Open, change, assign and annotate cases.

Contract: every action is one transaction, checks its inputs before writing anything, and adds
an entry to the case's timeline (CaseEvent) and a change record naming the fields. Timeline data
holds statuses and field names, never names or narrative text; a reason given in words goes in
the event's encrypted ``text``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, User
from okoa.audit.actions import record_change
from okoa.cases.models import Case, CaseEvent, CaseNote, CaseReferenceCounter
from okoa.people.models import Person

SINGLE_FIELDS = (
    "identified_on",
    "scope",
    "trafficking_status",
    "recruitment_type",
    "recruited_on",
    "exploitation_began_on",
    "exploitation_ended_on",
    "narrative",
)
MANY_FIELDS = (
    "countries_of_origin",
    "countries_of_transit",
    "countries_of_exploitation",
    "exploitation_types",
    "labour_industries",
    "methods_of_control",
)


class StaleEdit(ValidationError):
    """Somebody else saved the case after it was opened for editing."""


def record_event(
    case: Case, kind: str, *, by: User | None, text: str = "", **data: Any
) -> CaseEvent:
    """Add an entry to the case's timeline: ``data`` of statuses, codes and field names only;
    somebody's words (which may name people) as ``text``, which is encrypted at rest."""
    return CaseEvent.objects.create(case=case, kind=kind, by=by, data=data, text=text)


def allocate_reference(organisation_id: int, prefix: str, year: int) -> str:
    """Take the next case number of the organisation's year: ``TUM-2026-00031``.

    Must run inside the transaction that saves the case: the counter row stays locked (UPDATE
    takes the row lock on PostgreSQL; SQLite has one writer) until it commits, so two
    caseworkers opening cases at once never get the same number.
    """
    counter, _created = CaseReferenceCounter.objects.get_or_create(
        organisation_id=organisation_id, year=year
    )
    CaseReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db(fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:05d}"


def _validate_details(values: dict[str, Any], organisation_id: int, case: Case | None) -> None:
    errors: dict[str, list[str]] = {}

    def value(name: str) -> Any:
        if name in values:
            return values[name]
        return getattr(case, name) if case else None

    today = timezone.localdate()
    for name in ("identified_on", "recruited_on", "exploitation_began_on", "exploitation_ended_on"):
        day = value(name)
        if day and day > today:
            errors.setdefault(name, []).append(_("This date is in the future."))
    began, ended = value("exploitation_began_on"), value("exploitation_ended_on")
    if began and ended and ended < began:
        errors.setdefault("exploitation_ended_on", []).append(
            _("Exploitation cannot end before it began.")
        )
    recruited = value("recruited_on")
    if recruited and began and began < recruited:
        errors.setdefault("exploitation_began_on", []).append(
            _("Exploitation cannot begin before recruitment.")
        )
    assigned = values.get("assigned_to")
    if assigned is not None and not _is_caseworker_of(assigned, organisation_id):
        errors.setdefault("assigned_to", []).append(_("Choose a caseworker of your organisation."))
    if errors:
        raise ValidationError(errors)


def _is_caseworker_of(user: User, organisation_id: int) -> bool:
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, is_active=True
    ).first()
    return bool(membership and membership.can(Capability.EDIT_CASES))


def _set_many(case: Case, values: dict[str, Any]) -> list[str]:
    changed = []
    for name in MANY_FIELDS:
        if name not in values:
            continue
        manager = getattr(case, name)
        new_ids = {item.pk for item in values[name] or []}
        if set(manager.values_list("pk", flat=True)) != new_ids:
            manager.set(list(new_ids))
            changed.append(name)
    return changed


@transaction.atomic
def open_case(
    person: Person,
    *,
    by: User | None,
    assigned_to: User | None = None,
    **details: Any,
) -> Case:
    """Open a case for ``person`` at the person's organisation."""
    unknown = set(details) - set(SINGLE_FIELDS) - set(MANY_FIELDS)
    if unknown:
        raise ValueError(f"Not case details: {', '.join(sorted(unknown))}")
    organisation = person.organisation
    _validate_details({**details, "assigned_to": assigned_to}, organisation.pk, None)
    now = timezone.now()
    case = Case(
        organisation=organisation,
        person=person,
        survivor_sex=person.sex,
        survivor_county_id=person.county_of_origin_id,
        assigned_to=assigned_to,
        opened_at=now,
        updated_at=now,
        reference=allocate_reference(
            organisation.pk, organisation.reference_prefix, timezone.localdate().year
        ),
        **{name: value for name, value in details.items() if name in SINGLE_FIELDS},
    )
    case.save()
    _set_many(case, details)
    record_event(case, CaseEvent.Kind.OPENED, by=by, reference=case.reference)
    if assigned_to is not None:
        record_event(case, CaseEvent.Kind.ASSIGNED, by=by, to=assigned_to.code)
    record_change(
        organisation_id=organisation.pk,
        record_kind="case",
        record_code=case.code,
        action="created",
        fields=[name for name, value in details.items() if value],
        by=by,
    )
    return case


@transaction.atomic
def update_case(
    case: Case, *, by: User | None, expected_version: int | None = None, **details: Any
) -> list[str]:
    """Change a case's trafficking details; return the names of the fields that changed.

    With ``expected_version``, an edit based on an outdated copy is refused (StaleEdit).
    """
    unknown = set(details) - set(SINGLE_FIELDS) - set(MANY_FIELDS)
    if unknown:
        raise ValueError(f"Not case details: {', '.join(sorted(unknown))}")
    current = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Somebody else saved this case after you opened it. "
                "Reload the page to see their changes, then edit again."
            )
        )
    _validate_details(details, current.organisation_id, current)
    changed = []
    for name in SINGLE_FIELDS:
        if name in details:
            new = details[name]
            attname = Case._meta.get_field(name).attname  # type: ignore[union-attr]
            if getattr(current, attname) != (new.pk if hasattr(new, "pk") else new):
                setattr(current, name, new)
                changed.append(name)
    changed += _set_many(current, details)
    if not changed:
        return []
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    record_event(current, CaseEvent.Kind.UPDATED, by=by, fields=sorted(changed))
    record_change(
        organisation_id=current.organisation_id,
        record_kind="case",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    case.refresh_from_db()
    return changed


@transaction.atomic
def change_case_status(case: Case, *, to: str, by: User | None, reason: str = "") -> None:
    """Move the case along its lifecycle; moving to the current status is a no-op."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.status == to:
        return
    if not current.can_move_to(to):
        raise ValidationError(
            {
                "status": [
                    _("A case cannot move from %(from)s to %(to)s.")
                    % {"from": current.get_status_display(), "to": Case.Status(to).label}
                ]
            }
        )
    previous = current.status
    current.status = to
    current.closed_at = timezone.now() if to == Case.Status.CLOSED else None
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["status", "closed_at", "version", "updated_at"])
    # The reason is the caseworker's free text, which may name people: it stays on the timeline
    # of the case, encrypted, shown only to those who see identities; not in the audit trail.
    record_event(
        current, CaseEvent.Kind.STATUS_CHANGED, by=by, text=reason, previous=previous, to=to
    )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="case",
        record_code=current.code,
        action="status_changed",
        fields=["status"],
        by=by,
    )
    case.refresh_from_db()


@transaction.atomic
def assign_case(case: Case, *, to: User | None, by: User | None) -> None:
    """Give the case to a caseworker of the same organisation (or to nobody)."""
    if to is not None:
        _validate_details({"assigned_to": to}, case.organisation_id, case)
    if case.assigned_to_id == (to.pk if to else None):
        return
    Case.objects.filter(pk=case.pk).update(
        assigned_to=to, version=F("version") + 1, updated_at=timezone.now()
    )
    record_event(case, CaseEvent.Kind.ASSIGNED, by=by, to=to.code if to else None)
    record_change(
        organisation_id=case.organisation_id,
        record_kind="case",
        record_code=case.code,
        action="assigned",
        fields=["assigned_to"],
        by=by,
    )
    case.refresh_from_db()


@transaction.atomic
def add_case_note(case: Case, *, body: str, by: User) -> CaseNote:
    """Add a note to the case."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write the note before saving it.")]})
    note = CaseNote.objects.create(case=case, author=by, body=body)
    record_event(case, CaseEvent.Kind.NOTE_ADDED, by=by, note=note.code)
    return note
