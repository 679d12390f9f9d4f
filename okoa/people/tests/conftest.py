"""Fixtures for the people screens."""

from __future__ import annotations

import pytest

from okoa.people.actions import create_person
from okoa.people.models import Person


@pytest.fixture
def survivor(cast) -> Person:
    """An invented survivor recorded at ``cast.ngo``."""
    return create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Makena",
        family_name="Kariuki",
        sex="female",
        phone_numbers=["0701 234 567"],
    )
