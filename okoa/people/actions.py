"""Create and change people. Every action is one transaction, re-indexes the person's search
tokens and leaves a change record naming the changed fields (never their values)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation, User
from okoa.audit.actions import record_change
from okoa.lib import crypto, names
from okoa.people.models import Person, PersonSearchToken

# Fields a caller may set; everything else (organisation, code, version...) is Okoa's.
EDITABLE_FIELDS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "nationality",
    "languages",
    "phone_numbers",
    "national_id_number",
    "passport_number",
    "county_of_origin",
    "sub_county_of_origin",
    "disability",
    "parent",
    "relationship_to_parent",
)


class StaleEdit(ValidationError):
    """Somebody else saved the record after it was opened for editing."""


def search_keys_for(person: Person) -> set[str]:
    """Return the plaintext search keys of a person (hashed before they are stored)."""
    keys: set[str] = set()
    for text in [person.given_name, person.family_name, *(person.other_names or [])]:
        for part in names.name_parts(text or ""):
            keys.update(names.stored_name_keys(part))
    for phone in person.phone_numbers or []:
        if normalised := names.normalise_phone(phone):
            keys.add(f"tel:{normalised}")
    for number in (person.national_id_number, person.passport_number):
        if number and (normalised := names.normalise_document_number(number)):
            keys.add(f"doc:{normalised}")
    return keys


def index_person(person: Person) -> None:
    """Replace the person's blind-index tokens with ones computed from the current values."""
    scope_key = crypto.key_ring().index_key_for(person.organisation.code)
    tokens = {crypto.blind_index_with(scope_key, key) for key in search_keys_for(person)}
    PersonSearchToken.objects.filter(person=person).delete()
    PersonSearchToken.objects.bulk_create(
        PersonSearchToken(person=person, organisation_id=person.organisation_id, token=token)
        for token in tokens
    )


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    cleaned = dict(values)
    for key in ("other_names", "phone_numbers", "languages"):
        if key in cleaned:
            cleaned[key] = [item.strip() for item in cleaned[key] or [] if item and item.strip()]
    for key in ("given_name", "family_name", "national_id_number", "passport_number"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


def _derive_birth_year(person: Person, estimated_age: int | None) -> None:
    if person.date_of_birth:
        person.birth_year = person.date_of_birth.year
        person.birth_year_is_estimated = False
    elif estimated_age is not None:
        person.birth_year = timezone.localdate().year - estimated_age
        person.birth_year_is_estimated = True


def _validate(person: Person) -> None:
    errors: dict[str, list[str]] = {}
    if not person.given_name:
        errors.setdefault("given_name", []).append(_("Enter a given name or the name used."))
    if person.date_of_birth and person.date_of_birth > timezone.localdate():
        errors.setdefault("date_of_birth", []).append(_("The date of birth is in the future."))
    if person.date_of_birth and person.date_of_birth < datetime.date(1900, 1, 1):
        errors.setdefault("date_of_birth", []).append(_("The date of birth is too far back."))
    sub_county = person.sub_county_of_origin
    if sub_county is not None and sub_county.county_id != person.county_of_origin_id:
        errors.setdefault("sub_county_of_origin", []).append(
            _("This sub-county is not in the chosen county.")
        )
    if person.parent is not None:
        if person.parent.organisation_id != person.organisation_id:
            errors.setdefault("parent", []).append(_("Choose a person of your organisation."))
        if person.pk and person.parent_id == person.pk:
            errors.setdefault("parent", []).append(_("A person cannot depend on themselves."))
        if not person.relationship_to_parent:
            errors.setdefault("relationship_to_parent", []).append(
                _("Say how the dependant is related.")
            )
    elif person.relationship_to_parent:
        person.relationship_to_parent = ""
    for phone in person.phone_numbers or []:
        digits = names.normalise_phone(phone)
        if not 7 <= len(digits) <= 15:
            errors.setdefault("phone_numbers", []).append(
                _("%(phone)s is not a phone number.") % {"phone": phone}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_person(
    organisation: Organisation,
    *,
    by: User | None,
    estimated_age: int | None = None,
    **values: Any,
) -> Person:
    """Record a new person in ``organisation``."""
    person = Person(organisation=organisation, created_by=by, **_clean_values(values))
    if estimated_age is not None and not 0 <= estimated_age <= 120:
        raise ValidationError({"estimated_age": [_("Enter an age between 0 and 120.")]})
    _derive_birth_year(person, estimated_age)
    _validate(person)
    person.save()
    index_person(person)
    record_change(
        organisation_id=organisation.pk,
        record_kind="person",
        record_code=person.code,
        action="created",
        fields=[key for key, value in values.items() if value not in (None, "", [])],
        by=by,
    )
    return person


@transaction.atomic
def update_person(
    person: Person,
    *,
    by: User | None,
    expected_version: int | None = None,
    estimated_age: int | None = None,
    **values: Any,
) -> list[str]:
    """Change a person's details; return the names of the fields that changed.

    ``expected_version`` is the version the editor saw: if somebody saved in between, the edit
    is refused (StaleEdit) instead of silently overwriting their change.
    """
    cleaned = _clean_values(values)
    # Lock the row (PostgreSQL) and re-read the version; SQLite serialises writers already.
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.erased_at is not None:
        # An erased identity stays erased: typing a name back in would undo the erasure.
        raise ValidationError(_("This person's identity was erased; it cannot be edited."))
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Somebody else saved this person's details after you opened them. "
                "Reload the page to see their changes, then edit again."
            )
        )
    changed = [
        key for key, value in cleaned.items() if getattr(current, _attname(key)) != _id(value)
    ]
    for key, value in cleaned.items():
        setattr(current, key, value)
    if estimated_age is not None:
        if not 0 <= estimated_age <= 120:
            raise ValidationError({"estimated_age": [_("Enter an age between 0 and 120.")]})
        changed.append("birth_year")
    _derive_birth_year(current, estimated_age)
    _validate(current)
    if not changed:
        return []
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    index_person(current)
    if {"sex", "county_of_origin"} & set(changed):
        # The cases keep copies of these for the case list's filters (Case docstring).
        current.cases.update(
            survivor_sex=current.sex, survivor_county_id=current.county_of_origin_id
        )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="person",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    person.refresh_from_db()
    return changed


def _attname(field_name: str) -> str:
    field = Person._meta.get_field(field_name)
    return field.attname  # type: ignore[union-attr]


def _id(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value
