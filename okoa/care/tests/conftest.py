"""Fixtures for care: a survivor's dependant made through the real action."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.people.models import Person

AddDependant = Callable[..., Person]


@pytest.fixture
def add_dependant(cast) -> AddDependant:
    """Add an invented child (or other dependant) to the survivor of ``case``."""

    def add(case: Case, *, given_name: str = "Baraka", relationship: str = "child") -> Person:
        return create_person(
            case.organisation,
            by=cast.caseworker,
            given_name=given_name,
            family_name=case.person.family_name,
            sex="male",
            parent=case.person,
            relationship_to_parent=relationship,
        )

    return add
