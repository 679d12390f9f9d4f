"""The demo's shelters: two invented safe houses of the main demo NGO with some of its survivors
staying in them, checked in (and one checked out) through the real actions.

Residents are demo survivors of ``okoa/demo/data.py``, found by their invented names after their
cases are opened. Dates are days before the day the demo is loaded.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.demo import data
from okoa.reference.models import County
from okoa.shelters.actions import check_in, check_out, create_shelter


@dataclass(frozen=True)
class DemoShelter:
    name: str
    county: int  # official county code
    capacity: int
    sexes: str
    takes_children: bool
    takes_families: bool
    address: str


@dataclass(frozen=True)
class DemoStay:
    shelter: str  # DemoShelter.name
    survivor: tuple[str, str]  # (given name, family name) of a demo survivor
    days_ago: int
    with_dependants: bool = False
    expected_days: int | None = None  # expected to leave this many days after check-in
    left_days_ago: int | None = None
    left_because: str = ""


WOMENS_HOUSE = DemoShelter(
    name="Chemichemi Women's Safe House (demo)",
    county=1,  # Mombasa
    capacity=12,
    sexes="female",
    takes_children=False,
    takes_families=True,
    address="Invented address: off Demo Lane, the green gate after the water kiosk.",
)
TRANSIT_HOUSE = DemoShelter(
    name="Chemichemi Transit House (demo)",
    county=47,  # Nairobi
    capacity=6,
    sexes="any",
    takes_children=False,
    takes_families=True,
    address="Invented address: second floor above the demo pharmacy.",
)

SHELTERS = (WOMENS_HOUSE, TRANSIT_HOUSE)

STAYS = (
    DemoStay(
        WOMENS_HOUSE.name, ("Lucy", "Kimani"), 90, left_days_ago=50, left_because="reintegrated"
    ),
    DemoStay(WOMENS_HOUSE.name, ("Faith", "Gitau"), 40, expected_days=90),
    DemoStay(WOMENS_HOUSE.name, ("Linet", "Okoth"), 25, expected_days=60),
    DemoStay(WOMENS_HOUSE.name, ("Ruth", "Nzioka"), 9, expected_days=45),
    DemoStay(TRANSIT_HOUSE.name, ("Amos", "Lumbasi"), 12, with_dependants=True, expected_days=30),
    # Expected to have left already: the shelter page flags the stay.
    DemoStay(TRANSIT_HOUSE.name, ("Brian", "Langat"), 30, expected_days=25),
)


def load_shelters_demo(organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """Create the main demo NGO's shelters and stays (the survivors must exist already)."""
    organisation = organisations[data.MAIN_NGO.reference_prefix]
    supervisor, caseworker = users[data.CST_SUPERVISOR], users[data.CST_CASEWORKER]
    counties = County.objects.in_bulk(field_name="code")
    shelters = {
        shelter.name: create_shelter(
            organisation,
            by=supervisor,
            name=shelter.name,
            county=counties[shelter.county],
            capacity=shelter.capacity,
            sexes=shelter.sexes,
            takes_children=shelter.takes_children,
            takes_families=shelter.takes_families,
            address=shelter.address,
        )
        for shelter in SHELTERS
    }
    cases = {
        (case.person.given_name, case.person.family_name): case
        for case in Case.objects.filter(organisation=organisation).select_related("person")
    }
    now = timezone.now()
    for stay in STAYS:
        case = cases[stay.survivor]
        arrived = now - datetime.timedelta(days=stay.days_ago)
        people = [case.person, *(case.person.dependants.all() if stay.with_dependants else [])]
        expected = (
            timezone.localdate(arrived) + datetime.timedelta(days=stay.expected_days)
            if stay.expected_days
            else None
        )
        stays = check_in(
            case,
            shelter=shelters[stay.shelter],
            people=people,
            by=caseworker,
            checked_in_at=arrived,
            expected_check_out_on=expected,
        )
        if stay.left_days_ago is not None:
            check_out(
                stays[0],
                by=caseworker,
                reason=stay.left_because,
                checked_out_at=now - datetime.timedelta(days=stay.left_days_ago),
            )
