"""Fixtures for shelters: shelters and dependants made through the real actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.shelters.actions import create_shelter
from okoa.shelters.models import Shelter

MakeShelter = Callable[..., Shelter]
AddDependant = Callable[..., Person]


@pytest.fixture
def make_shelter(cast, places) -> MakeShelter:
    """Add an invented shelter to ``cast.ngo`` (or ``organisation``) as its supervisor."""

    def make(*, name: str = "Nyumba ya Tumaini", capacity: int = 4, **values: Any) -> Shelter:
        values.setdefault("county", places.mombasa)
        organisation = values.pop("organisation", cast.ngo)
        by = values.pop("by", cast.supervisor)
        return create_shelter(organisation, by=by, name=name, capacity=capacity, **values)

    return make


@pytest.fixture
def add_dependant(cast) -> AddDependant:
    """Add an invented dependant (a child unless told otherwise) to the survivor of ``case``."""

    def add(
        case: Case,
        *,
        given_name: str = "Neema",
        relationship: str = "child",
        sex: str = "female",
        estimated_age: int | None = 6,
    ) -> Person:
        return create_person(
            case.organisation,
            by=cast.caseworker,
            given_name=given_name,
            family_name=case.person.family_name,
            sex=sex,
            estimated_age=estimated_age,
            parent=case.person,
            relationship_to_parent=relationship,
        )

    return add
