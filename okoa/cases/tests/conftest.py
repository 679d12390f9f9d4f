"""Fixtures for the case screens: a few reference rows and a maker of invented cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from okoa.accounts.models import Organisation, User
from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.reference.models import CodeListItem, Country, County, SubCounty


@dataclass
class Places:
    kenya: Country
    uganda: Country
    mombasa: County
    nairobi: County
    changamwe: SubCounty  # in Mombasa
    westlands: SubCounty  # in Nairobi
    forced_labour: CodeListItem
    sexual_exploitation: CodeListItem


@pytest.fixture
def places(db) -> Places:
    """The reference rows the tests use (shipped by the data migration; created if missing)."""

    def country(code: str, alpha3: str, name: str) -> Country:
        return Country.objects.get_or_create(code=code, defaults={"alpha3": alpha3, "name": name})[
            0
        ]

    def county(code: int, name: str) -> County:
        return County.objects.get_or_create(code=code, defaults={"name": name})[0]

    def sub_county(code: int, name: str, county: County) -> SubCounty:
        return SubCounty.objects.get_or_create(
            code=code, defaults={"name": name, "county": county}
        )[0]

    def item(list_name: str, code: str, name: str) -> CodeListItem:
        return CodeListItem.objects.get_or_create(
            list=list_name, code=code, defaults={"name": name, "source": "HTCDS 2.0"}
        )[0]

    mombasa, nairobi = county(1, "Mombasa"), county(47, "Nairobi")
    return Places(
        kenya=country("KE", "KEN", "Kenya"),
        uganda=country("UG", "UGA", "Uganda"),
        mombasa=mombasa,
        nairobi=nairobi,
        changamwe=sub_county(1, "Changamwe", mombasa),
        westlands=sub_county(274, "Westlands", nairobi),
        forced_labour=item("exploitation_type", "ForcedLabour", "Forced labour"),
        sexual_exploitation=item("exploitation_type", "SexualExploitation", "Sexual exploitation"),
    )


MakeCase = Callable[..., Case]


@pytest.fixture
def make_case(cast, places) -> MakeCase:
    """Open a case for a new, invented person; keywords choose the person's and case's details."""

    def make(
        *,
        organisation: Organisation | None = None,
        by: User | None = None,
        assigned_to: User | None = None,
        given_name: str = "Zawadi",
        family_name: str = "Mutua",
        sex: str = "female",
        county: County | None = None,
        exploitation_types: tuple[CodeListItem, ...] = (),
        **person_values: Any,
    ) -> Case:
        by = by or cast.caseworker
        person = create_person(
            organisation or cast.ngo,
            by=by,
            given_name=given_name,
            family_name=family_name,
            sex=sex,
            county_of_origin=county,
            **person_values,
        )
        return open_case(
            person, by=by, assigned_to=assigned_to, exploitation_types=list(exploitation_types)
        )

    return make
