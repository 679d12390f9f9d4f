"""Keep shelters, and check survivors and their dependants in and out.

Contract: every action is one transaction, takes the actor as ``by=``, checks its inputs before
writing anything (errors name the fields) and leaves change records naming the fields, never
their values; check-in and check-out also leave an entry on the case's timeline whose data holds
the shelter's code and counts, never names. A shelter carries a ``version``: with
``expected_version``, an edit based on an outdated copy is refused with ``StaleEdit`` naming the
fields somebody else changed.

Beds: check-in and capacity changes lock the shelter's row first and count the open stays
under that lock, so two check-ins for the last bed never both succeed and the capacity never
drops below the people staying. Over capacity, only a supervisor checks people in, giving the
reason, which is kept with each stay.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.audit.actions import record_change
from okoa.audit.models import ChangeRecord
from okoa.cases.actions import record_event
from okoa.cases.models import Case, CaseEvent
from okoa.people.models import Person
from okoa.shelters.models import MAX_CAPACITY, Shelter, ShelterStay

SHELTER_FIELDS = (
    "name",
    "county",
    "address",
    "capacity",
    "sexes",
    "takes_adults",
    "takes_children",
    "takes_families",
    "is_active",
)

Errors = dict[str, list[str]]


class StaleEdit(ValidationError):
    """Somebody else saved the shelter after it was opened for editing."""


def occupied_beds(shelter: Shelter) -> int:
    """The number of people staying in the shelter now; call it with the shelter locked."""
    return ShelterStay.objects.filter(shelter_id=shelter.pk).open().count()


def _lock(shelter: Shelter) -> Shelter:
    # PostgreSQL: the row lock makes a second check-in wait until the first one commits; it then
    # counts the beds again. SQLite ignores FOR UPDATE, but Okoa's SQLite transactions take the
    # write lock when they begin (IMMEDIATE, okoa/settings.py), so writers run one at a time.
    return Shelter.objects.select_for_update().select_related("county").get(pk=shelter.pk)


def _day(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


def _is_supervisor_of(user: User, organisation_id: int) -> bool:
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, is_active=True
    ).first()
    return bool(membership and membership.can(Capability.SUPERVISE))


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


# Shelters ------------------------------------------------------------------------------------


def _clean_shelter(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("name", "address"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    return cleaned


def _shelter_errors(values: dict[str, Any], organisation_id: int, pk: int | None) -> Errors:
    errors: Errors = {}
    if not values.get("name"):
        _add(errors, "name", _("Give the shelter a name."))
    elif (
        Shelter.objects.filter(organisation_id=organisation_id, name__iexact=values["name"])
        .exclude(id__in=[pk] if pk else [])
        .exists()
    ):
        _add(errors, "name", _("Your organisation already has a shelter of this name."))
    if values.get("county") is None:
        _add(errors, "county", _("Choose the county."))
    capacity = values.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        _add(errors, "capacity", _("Give the number of beds."))
    elif capacity < 1:
        _add(errors, "capacity", _("A shelter has at least one bed."))
    elif capacity > MAX_CAPACITY:
        _add(errors, "capacity", _("Give at most %(max)s beds.") % {"max": MAX_CAPACITY})
    if values.get("sexes") not in Shelter.Sexes.values:
        _add(errors, "sexes", _("Choose whom the shelter takes."))
    if not any(values.get(name) for name in ("takes_adults", "takes_children", "takes_families")):
        _add(errors, "takes_adults", _("Tick at least one: adults, children or families."))
    return errors


@transaction.atomic
def create_shelter(
    organisation: Organisation,
    *,
    by: User,
    name: str,
    county: Any,
    capacity: int,
    sexes: str = Shelter.Sexes.ANY,
    takes_adults: bool = True,
    takes_children: bool = False,
    takes_families: bool = False,
    address: str = "",
    is_active: bool = True,
) -> Shelter:
    """Add a shelter to the organisation."""
    values = _clean_shelter(
        {
            "name": name,
            "county": county,
            "address": address,
            "capacity": capacity,
            "sexes": sexes,
            "takes_adults": takes_adults,
            "takes_children": takes_children,
            "takes_families": takes_families,
            "is_active": is_active,
        }
    )
    errors = _shelter_errors(values, organisation.pk, None)
    if errors:
        raise ValidationError(errors)
    shelter = Shelter.objects.create(organisation=organisation, **values)
    record_change(
        organisation_id=organisation.pk,
        record_kind="shelter",
        record_code=shelter.code,
        action="created",
        fields=[name for name, value in values.items() if value not in (None, "", False)],
        by=by,
    )
    return shelter


def changed_since(record_code: str, version: int, current: int) -> list[str]:
    """The shelter's fields changed between ``version`` and ``current`` (one record each)."""
    records = ChangeRecord.objects.filter(
        record_kind="shelter", record_code=record_code, action="updated"
    ).order_by("-at", "-id")[: max(current - version, 0)]
    return sorted({name for record in records for name in record.fields})


@transaction.atomic
def update_shelter(
    shelter: Shelter, *, by: User, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Change the shelter's details and beds; return the names of the fields that changed.

    The capacity cannot drop below the people staying now, and a shelter with residents stays
    open for check-ins until they have left.
    """
    unknown = set(values) - set(SHELTER_FIELDS)
    if unknown:
        raise ValueError(f"Not shelter fields: {', '.join(sorted(unknown))}")
    current = _lock(shelter)
    if expected_version is not None and expected_version != current.version:
        fields = changed_since(current.code, expected_version, current.version)
        raise StaleEdit(
            _(
                "Somebody else saved this shelter after you opened it (changed: %(fields)s). "
                "Reload the page to see their changes, then edit again."
            )
            % {"fields": ", ".join(fields) or _("unknown")}
        )
    merged = {name: getattr(current, name) for name in SHELTER_FIELDS} | _clean_shelter(values)
    errors = _shelter_errors(merged, current.organisation_id, current.pk)
    occupied = occupied_beds(current)
    capacity = merged["capacity"]
    if "capacity" not in errors and capacity < occupied:
        _add(
            errors,
            "capacity",
            _(
                "%(count)s people are staying now: the shelter cannot have fewer beds. "
                "Check people out first."
            )
            % {"count": occupied},
        )
    if not merged["is_active"] and occupied:
        _add(
            errors,
            "is_active",
            _("People are staying in this shelter: check them out before closing it."),
        )
    if errors:
        raise ValidationError(errors)
    changed = [name for name in SHELTER_FIELDS if merged[name] != getattr(current, name)]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, merged[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=[*changed, "version", "updated_at"])
    record_change(
        organisation_id=current.organisation_id,
        record_kind="shelter",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    shelter.refresh_from_db()
    return changed


# Stays ---------------------------------------------------------------------------------------


def _people_errors(case: Case, people: list[Person], at: datetime.datetime) -> Errors:
    """Who may not be checked in: not of the case, already staying, or overlapping a stay."""
    errors: Errors = {}
    if not people:
        _add(errors, "people", _("Choose who is checked in."))
    for person in people:
        if person.pk != case.person_id and person.parent_id != case.person_id:
            _add(errors, "people", _("Choose the survivor or the survivor's dependants."))
            continue
        stays = ShelterStay.objects.filter(person=person).select_related("shelter")
        staying = stays.open().first()
        if staying is not None:
            _add(
                errors,
                "people",
                _("%(name)s is staying at %(shelter)s since %(date)s: check them out first.")
                % {
                    "name": person.full_name,
                    "shelter": staying.shelter.name,
                    "date": _day(staying.checked_in_at),
                },
            )
            continue
        overlapped = stays.filter(checked_out_at__gt=at).order_by("-checked_out_at").first()
        if overlapped is not None and overlapped.checked_out_at is not None:
            _add(
                errors,
                "checked_in_at",
                _("%(name)s was staying at %(shelter)s until %(date)s: check-in is later.")
                % {
                    "name": person.full_name,
                    "shelter": overlapped.shelter.name,
                    "date": _day(overlapped.checked_out_at),
                },
            )
    return errors


@transaction.atomic
def check_in(
    case: Case,
    *,
    shelter: Shelter,
    people: Iterable[Person],
    by: User,
    checked_in_at: datetime.datetime | None = None,
    expected_check_out_on: datetime.date | None = None,
    over_capacity_reason: str = "",
) -> list[ShelterStay]:
    """Check the survivor and/or their dependants into a shelter of the case's organisation;
    each person takes a bed. Return the new stays, the survivor's first."""
    now = timezone.now()
    at = checked_in_at or now
    chosen = sorted(
        {person.pk: person for person in people}.values(), key=lambda p: p.parent_id or 0
    )
    errors: Errors = {}
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it before checking anyone in."))
    if shelter.organisation_id != case.organisation_id:
        _add(errors, "shelter", _("Choose a shelter of your organisation."))
    if at > now:
        _add(errors, "checked_in_at", _("This time is in the future."))
    if expected_check_out_on is not None and expected_check_out_on < timezone.localdate(at):
        _add(
            errors,
            "expected_check_out_on",
            _("The expected day of leaving cannot be before the check-in."),
        )
    if errors:
        raise ValidationError(errors)
    current = _lock(shelter)
    errors = _people_errors(case, chosen, at)
    if not current.is_active:
        _add(errors, "shelter", _("This shelter is closed for check-ins."))
    survivor_staying = case.person_id in {person.pk for person in chosen} or (
        ShelterStay.objects.open().filter(shelter=current, person_id=case.person_id).exists()
    )
    for person in chosen:
        refusal = current.refusal_for(
            person,
            with_family=person.pk != case.person_id and survivor_staying,
            today=timezone.localdate(at),
        )
        if refusal:
            _add(errors, "people", f"{person.full_name}: {refusal}")
    if errors:
        raise ValidationError(errors)

    occupied = occupied_beds(current)
    over = occupied + len(chosen) > current.capacity
    reason = over_capacity_reason.strip() if over else ""
    if over and not reason:
        raise ValidationError(
            {
                "shelter": [
                    _(
                        "This shelter is full: %(occupied)s of %(capacity)s beds are taken and "
                        "%(needed)s more are needed. Choose another shelter; a supervisor can "
                        "check people in over capacity, giving the reason."
                    )
                    % {"occupied": occupied, "capacity": current.capacity, "needed": len(chosen)}
                ]
            }
        )
    if over and not _is_supervisor_of(by, case.organisation_id):
        raise ValidationError(
            {"over_capacity_reason": [_("Only a supervisor can check people in over capacity.")]}
        )
    try:
        # The database refuses a second open stay of a person (checked in at the same moment
        # into another shelter, whose lock this check-in does not wait for).
        with transaction.atomic():
            stays = [
                ShelterStay.objects.create(
                    shelter=current,
                    case=case,
                    person=person,
                    checked_in_at=at,
                    checked_in_by=by,
                    expected_check_out_on=expected_check_out_on,
                    over_capacity_by=by if over else None,
                    over_capacity_reason=reason,
                )
                for person in chosen
            ]
    except IntegrityError:
        raise ValidationError(
            {"people": [_("Somebody has just checked one of them in: reload the page.")]}
        ) from None
    record_event(
        case,
        CaseEvent.Kind.SHELTER_CHECK_IN,
        by=by,
        shelter=current.code,
        stays=[stay.code for stay in stays],
        people=len(stays),
        dependants=sum(1 for stay in stays if stay.person_id != case.person_id),
        over_capacity=over,
    )
    for stay in stays:
        fields = ["shelter", "person", "checked_in_at"]
        fields += ["expected_check_out_on"] if expected_check_out_on else []
        fields += ["over_capacity_reason"] if over else []
        record_change(
            organisation_id=case.organisation_id,
            record_kind="shelter_stay",
            record_code=stay.code,
            action="checked_in",
            fields=fields,
            by=by,
        )
    return stays


@transaction.atomic
def check_out(
    stay: ShelterStay,
    *,
    by: User,
    reason: str,
    checked_out_at: datetime.datetime | None = None,
    note: str = "",
    with_dependants: bool = True,
) -> list[ShelterStay]:
    """End a stay, saying why; the survivor's dependants in the same shelter leave with them
    unless ``with_dependants`` is false. Return the stays ended."""
    current = (
        ShelterStay.objects.select_for_update().select_related("case", "shelter").get(pk=stay.pk)
    )
    if current.checked_out_at is not None:
        raise ValidationError(
            _("This stay has already ended (checked out on %(date)s). Reload the page.")
            % {"date": _day(current.checked_out_at)}
        )
    now = timezone.now()
    at = checked_out_at or now
    case = current.case
    leaving = [current]
    if with_dependants and current.person_id == case.person_id:
        leaving += list(
            ShelterStay.objects.select_for_update()
            .open()
            .filter(case=case, shelter_id=current.shelter_id)
            .exclude(pk=current.pk)
            .order_by("checked_in_at", "id")
        )
    errors: Errors = {}
    if at > now:
        _add(errors, "checked_out_at", _("This time is in the future."))
    else:
        began = max(item.checked_in_at for item in leaving)
        if at < began:
            _add(
                errors,
                "checked_out_at",
                _("A stay cannot end before it began (checked in on %(date)s).")
                % {"date": formats.date_format(timezone.localtime(began), "SHORT_DATETIME_FORMAT")},
            )
    if reason not in ShelterStay.CheckOutReason.values:
        _add(errors, "reason", _("Choose why the stay ends."))
    if errors:
        raise ValidationError(errors)
    for item in leaving:
        item.checked_out_at = at
        item.checked_out_by = by
        item.check_out_reason = reason
        item.check_out_note = note.strip()
        item.save(
            update_fields=["checked_out_at", "checked_out_by", "check_out_reason", "check_out_note"]
        )
    record_event(
        case,
        CaseEvent.Kind.SHELTER_CHECK_OUT,
        by=by,
        shelter=current.shelter.code,
        stays=[item.code for item in leaving],
        people=len(leaving),
        reason=reason,
    )
    for item in leaving:
        record_change(
            organisation_id=case.organisation_id,
            record_kind="shelter_stay",
            record_code=item.code,
            action="checked_out",
            fields=[
                "checked_out_at",
                "check_out_reason",
                *(["check_out_note"] if note.strip() else []),
            ],
            by=by,
        )
    stay.refresh_from_db()
    return leaving
