"""Create, change, deactivate and reactivate directory services.

Contract: every action is one transaction, takes the actor as ``by=``, checks all of its inputs
before writing anything (errors name the fields) and leaves a change record naming the fields.
A service is never deleted: referrals point to it. With ``expected_version``, a change based on
an outdated copy is refused with ``StaleEdit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Organisation, User
from okoa.audit.actions import record_change
from okoa.directory.models import ServedSex, Service, ServiceKind
from okoa.reference.models import County

SERVICE_FIELDS = (
    "kind",
    "name",
    "description",
    "nationwide",
    "min_age",
    "max_age",
    "sexes",
    "capacity",
    "capacity_note",
    "contact_phone",
    "contact_email",
    "hours",
)
# A phone number as people write it: digits, spaces, dashes, brackets and a leading plus.
PHONE = re.compile(r"^\+?[0-9 ()-]{7,24}$")
MAX_AGE = 120


class StaleEdit(ValidationError):
    """Somebody else saved the service after it was opened for editing."""


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in ("name", "description", "capacity_note", "contact_phone", "contact_email", "hours"):
        if name in cleaned:
            cleaned[name] = (cleaned[name] or "").strip()
    if "sexes" in cleaned:
        cleaned["sexes"] = sorted(set(cleaned["sexes"] or []))
    return cleaned


def _validate(values: dict[str, Any], counties: list[County]) -> None:
    errors: dict[str, list[str]] = {}
    if not values.get("name"):
        errors["name"] = [_("Give the service a name.")]
    if values.get("kind") not in ServiceKind.values:
        errors["kind"] = [_("Choose the kind of service.")]
    if not values.get("nationwide") and not counties:
        errors["counties"] = [_("Choose the counties served, or tick “the whole country”.")]
    low, high = values.get("min_age"), values.get("max_age")
    for name, age in (("min_age", low), ("max_age", high)):
        if age is not None and not 0 <= age <= MAX_AGE:
            errors[name] = [_("Give an age between 0 and 120.")]
    if low is not None and high is not None and "max_age" not in errors and high < low:
        errors["max_age"] = [_("The oldest age cannot be below the youngest.")]
    if set(values.get("sexes") or []) - set(ServedSex.values):
        errors["sexes"] = [_("Choose from the list.")]
    capacity = values.get("capacity")
    if capacity is not None and capacity < 0:
        errors["capacity"] = [_("A capacity cannot be negative.")]
    phone, email = values.get("contact_phone", ""), values.get("contact_email", "")
    if phone and not PHONE.match(phone):
        errors["contact_phone"] = [_("Write a phone number, for example +254 700 000 000.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Write an email address.")]
    if not phone and not email:
        errors["contact_phone"] = [_("Give a phone number or an email address to reach it.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_service(
    organisation: Organisation,
    *,
    by: User | None,
    counties: Iterable[County] = (),
    **values: Any,
) -> Service:
    """List a service of ``organisation`` in the directory."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not service fields: {', '.join(sorted(unknown))}")
    values = _clean(values)
    county_list = list(counties)
    _validate(values, county_list)
    service = Service.objects.create(organisation=organisation, **values)
    if not service.nationwide:
        service.counties.set(county_list)
    record_change(
        organisation_id=organisation.pk,
        record_kind="service",
        record_code=service.code,
        action="created",
        fields=[name for name, value in values.items() if value not in (None, "", [], False)]
        + (["counties"] if county_list else []),
        by=by,
    )
    return service


@transaction.atomic
def update_service(
    service: Service,
    *,
    by: User | None,
    expected_version: int | None = None,
    counties: Iterable[County] | None = None,
    **values: Any,
) -> list[str]:
    """Change a service; return the names of the fields that changed."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not service fields: {', '.join(sorted(unknown))}")
    # Lock the row so that two administrators cannot both pass the version check.
    current = Service.objects.select_for_update().get(pk=service.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(
            _(
                "Somebody else saved this service after you opened it. Reload the page to see "
                "their changes, then edit again."
            )
        )
    merged = {name: getattr(current, name) for name in SERVICE_FIELDS} | _clean(values)
    old_counties = sorted(current.counties.values_list("pk", flat=True))
    county_list = list(counties) if counties is not None else list(current.counties.all())
    if merged["nationwide"]:
        county_list = []
    _validate(merged, county_list)
    changed = [name for name in SERVICE_FIELDS if merged[name] != getattr(current, name)]
    if sorted(county.pk for county in county_list) != old_counties:
        current.counties.set(county_list)
        changed.append("counties")
    if not changed:
        return []
    for name in SERVICE_FIELDS:
        setattr(current, name, merged[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    record_change(
        organisation_id=current.organisation_id,
        record_kind="service",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    service.refresh_from_db()
    return changed


@transaction.atomic
def set_service_active(service: Service, *, active: bool, by: User | None) -> bool:
    """Deactivate (or offer again) a service; return whether anything changed.

    A deactivated service leaves the search; referrals already sent to it keep pointing to it.
    """
    current = Service.objects.select_for_update().get(pk=service.pk)
    if current.is_active == active:
        return False
    current.is_active = active
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=["is_active", "version", "updated_at"])
    record_change(
        organisation_id=current.organisation_id,
        record_kind="service",
        record_code=current.code,
        action="reactivated" if active else "deactivated",
        fields=["is_active"],
        by=by,
    )
    service.refresh_from_db()
    return True
