"""Loading directory services for a member.

Contract: every member of an active organisation may search the directory and read any
service (it describes organisations, never people); a signed-in account without a membership
sees nothing. Only the administrators of the organisation that offers a service
(``MANAGE_MEMBERS``) may change it: for anybody else a service to change is the same Http404 as
a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.directory.models import Service, ServiceQuerySet


def can_read_directory(membership: Membership | None) -> bool:
    return bool(membership) and membership.is_active  # type: ignore[union-attr]


def can_manage_services(membership: Membership | None) -> bool:
    """Whether the member keeps their organisation's services (its administrators)."""
    return bool(membership) and membership.can(Capability.MANAGE_MEMBERS)  # type: ignore[union-attr]


@dataclass(frozen=True)
class ServiceFilters:
    """The directory search: empty values filter nothing."""

    kind: str = ""
    county: int | None = None
    organisation: int | None = None


PAGE_SIZE = 50


def search_services(
    membership: Membership | None, filters: ServiceFilters, *, limit: int = PAGE_SIZE
) -> list[Service]:
    """Active services matching ``filters``, by organisation and name, counties prefetched."""
    if not can_read_directory(membership):
        return []
    services: ServiceQuerySet = Service.objects.active()
    if filters.kind:
        services = services.filter(kind=filters.kind)
    if filters.county:
        services = services.serving_county(filters.county)
    if filters.organisation:
        services = services.filter(organisation_id=filters.organisation)
    return list(
        services.select_related("organisation")
        .prefetch_related("counties")
        .order_by("organisation__name", "name", "id")[:limit]
    )


def services_of_own_organisation(membership: Membership | None) -> list[Service]:
    """Every service of the member's organisation, inactive ones too (for its administrators)."""
    if not can_manage_services(membership):
        return []
    assert membership is not None
    return list(
        Service.objects.filter(organisation_id=membership.organisation_id)
        .prefetch_related("counties")
        .order_by("-is_active", "name", "id")
    )


def get_service_for_user(membership: Membership | None, code: str) -> Service:
    """Return the service ``code`` for reading (any member; inactive ones are marked)."""
    if not can_read_directory(membership):
        raise Http404
    service = Service.objects.select_related("organisation").filter(code=code).first()
    if service is None:
        raise Http404
    return service


def get_service_for_admin(membership: Membership | None, code: str) -> Service:
    """Return the service ``code`` of the member's own organisation, for changing it."""
    if not can_manage_services(membership):
        raise Http404
    assert membership is not None
    service = (
        Service.objects.select_related("organisation")
        .filter(code=code, organisation_id=membership.organisation_id)
        .first()
    )
    if service is None:
        raise Http404
    return service


def active_services_of(organisation_id: int) -> ServiceQuerySet:
    """The services an organisation offers now (to choose one in a referral)."""
    return Service.objects.active().filter(organisation_id=organisation_id)
