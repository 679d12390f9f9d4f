"""Loading shelters, their occupancy and their residents for a member.

Contract: a shelter belongs to one organisation, and only members of that organisation who see
case files see it: another organisation's shelter, a missing one and one the role may not see
all raise the same Http404. Supervisors and organisation administrators keep the shelters
(``can_manage_shelters``); whoever edits cases checks people in and out (``can_check_in``).
Residents' names are for roles that see identities (``can_see_residents``): data analysts get
counts only, and the address and free-text notes are deferred for them. Recording each read of
a person shown by name (``record_accesses``) is the caller's job.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from okoa.accounts.models import Capability, Membership
from okoa.cases.access import can_edit_cases, can_see_cases, can_see_identities
from okoa.cases.models import Case
from okoa.people.models import PERSON_FIELDS_NOT_LISTED, Person
from okoa.shelters.models import Shelter, ShelterStay


def can_see_shelters(membership: Membership | None) -> bool:
    return can_see_cases(membership)


def can_manage_shelters(membership: Membership | None) -> bool:
    """Whether the member may add shelters and change their beds and rules."""
    return bool(membership) and membership.can(Capability.SUPERVISE)  # type: ignore[union-attr]


def can_check_in(membership: Membership | None) -> bool:
    """Whether the member may check people in and out."""
    return can_edit_cases(membership) and can_see_identities(membership)


def can_override_capacity(membership: Membership | None) -> bool:
    """Whether the member may check people in although the shelter is full."""
    return can_check_in(membership) and can_manage_shelters(membership)


def can_see_residents(membership: Membership | None) -> bool:
    """Whether the member may see who stays in a shelter (names, notes, the address)."""
    return can_see_identities(membership)


@dataclass(frozen=True)
class Occupancy:
    """A shelter with the number of people staying in it now."""

    shelter: Shelter
    occupied: int

    @property
    def free(self) -> int:
        return max(self.shelter.capacity - self.occupied, 0)

    @property
    def over(self) -> int:
        """How many people stay beyond the beds (after a supervisor's override)."""
        return max(self.occupied - self.shelter.capacity, 0)


def shelters_for_user(membership: Membership | None) -> QuerySet[Shelter]:
    """The shelters the member may see: those of their organisation."""
    if not can_see_shelters(membership):
        return Shelter.objects.none()
    assert membership is not None
    shelters = Shelter.objects.filter(organisation_id=membership.organisation_id)
    if not can_see_residents(membership):
        shelters = shelters.defer("address")
    return shelters.select_related("county")


def occupancy_for_user(
    membership: Membership | None, *, active_only: bool = False
) -> list[Occupancy]:
    """The member's shelters with their occupancy now, in one query."""
    shelters = shelters_for_user(membership)
    if active_only:
        shelters = shelters.filter(is_active=True)
    counted = shelters.annotate(
        occupied=Count("stays", filter=Q(stays__checked_out_at__isnull=True))
    ).order_by("-is_active", "name", "id")
    return [Occupancy(shelter, shelter.occupied) for shelter in counted]


def get_shelter_for_user(
    membership: Membership | None, code: str, *, manage: bool = False
) -> Shelter:
    """Return the shelter ``code`` if the member may see it (or keep it, with ``manage``)."""
    if manage and not can_manage_shelters(membership):
        raise Http404
    shelter = shelters_for_user(membership).filter(code=code).first()
    if shelter is None:
        raise Http404
    return shelter


def occupancy_of(shelter: Shelter) -> Occupancy:
    """The shelter with the number of people staying in it now."""
    return Occupancy(shelter, ShelterStay.objects.filter(shelter=shelter).open().count())


def residents_for_user(membership: Membership | None, shelter: Shelter) -> list[ShelterStay]:
    """The people staying in the shelter now, survivors before their dependants, with their
    cases (empty for roles that do not see names)."""
    if not can_see_residents(membership):
        return []
    return list(
        ShelterStay.objects.filter(shelter=shelter)
        .open()
        # The page shows names, case references and dates: the residents' birth dates, phones
        # and document numbers are neither loaded nor decrypted.
        .select_related("person", "case")
        .defer(
            "check_out_note",
            "case__narrative",
            *(f"person__{name}" for name in PERSON_FIELDS_NOT_LISTED),
        )
        .order_by(
            "case__reference",
            F("person__parent_id").asc(nulls_first=True),
            "checked_in_at",
            "id",
        )
    )


def resident_counts(shelter: Shelter) -> dict[str, int]:
    """How many people stay now: in all, dependants, and by sex (no names: for every role)."""
    open_stays = ShelterStay.objects.filter(shelter=shelter).open()
    totals = open_stays.aggregate(
        everyone=Count("id"),
        dependants=Count("id", filter=~Q(person_id=F("case__person_id"))),
        female=Count("id", filter=Q(person__sex=Person.Sex.FEMALE)),
        male=Count("id", filter=Q(person__sex=Person.Sex.MALE)),
    )
    return {name: value or 0 for name, value in totals.items()}


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def occupancy_by_day(
    shelter: Shelter, first: datetime.date, last: datetime.date
) -> list[tuple[datetime.date, int]]:
    """The number of people in the shelter at the end of each day from ``first`` to ``last``,
    computed from the stays (one query)."""
    spans = list(
        ShelterStay.objects.filter(shelter=shelter, checked_in_at__lt=_end_of(last))
        .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=_end_of(first)))
        .values_list("checked_in_at", "checked_out_at")
    )
    days = []
    day = first
    while day <= last:
        end = _end_of(day)
        count = sum(1 for start, stop in spans if start < end and (stop is None or stop >= end))
        days.append((day, count))
        day += datetime.timedelta(days=1)
    return days


def stays_of_case_for_user(membership: Membership | None, case: Case) -> list[ShelterStay]:
    """The case's stays, newest first (the case must come from access); notes, reasons and
    names are for roles that see identities (deferred otherwise, and not to be shown)."""
    stays = ShelterStay.objects.filter(case=case).select_related(
        "shelter", "shelter__county", "person", "case"
    )
    if not can_see_residents(membership):
        stays = stays.defer(
            "check_out_note",
            "over_capacity_reason",
            "shelter__address",
            "person__given_name",
            "person__family_name",
            "person__other_names",
            *(f"person__{name}" for name in PERSON_FIELDS_NOT_LISTED),
            "case__narrative",
        )
    return list(stays.order_by("-checked_in_at", "case__person_id", "id"))


def get_stay_for_user(
    membership: Membership | None, code: str, *, write: bool = False
) -> ShelterStay:
    """Return the stay ``code`` in one of the member's shelters (to check it out, ``write``)."""
    if write and not can_check_in(membership):
        raise Http404
    if not can_see_residents(membership):
        raise Http404
    assert membership is not None
    stay = (
        ShelterStay.objects.filter(code=code, shelter__organisation_id=membership.organisation_id)
        .select_related("shelter", "case", "case__person", "person")
        .first()
    )
    if stay is None:
        raise Http404
    return stay


def people_for_check_in(case: Case) -> QuerySet[Person]:
    """Who may be checked in under the case: the survivor and the survivor's dependants."""
    return Person.objects.filter(organisation_id=case.organisation_id).filter(
        Q(pk=case.person_id) | Q(parent_id=case.person_id)
    )


def dependants_staying_with(stay: ShelterStay) -> list[ShelterStay]:
    """The open stays of the survivor's dependants in the same shelter (for the survivor's
    stay; none for a dependant's)."""
    if stay.person_id != stay.case.person_id:
        return []
    return list(
        ShelterStay.objects.filter(case_id=stay.case_id, shelter_id=stay.shelter_id)
        .open()
        .exclude(pk=stay.pk)
        .select_related("person")
        .order_by("checked_in_at", "id")
    )
