"""Fixtures for screenings: invented cases, the shipped screening items, a screening maker."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from okoa.accounts.models import Organisation, User
from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.reference.models import CodeListItem
from okoa.screening import rules
from okoa.screening.actions import record_screening
from okoa.screening.models import Screening

MakeCase = Callable[..., Case]
Screen = Callable[..., Screening]

# Answers that make an adult a presumed victim: recruitment, deception, forced labour.
PRESUMED_ADULT = {
    "palermo_act:TARC": "yes",
    "palermo_means:TMDC": "yes",
    "palermo_purpose:TPLB": "yes",
}


@pytest.fixture
def items(db) -> dict[str, CodeListItem]:
    """The shipped screening items (loaded by the reference data migration), by item key."""
    found = {
        rules.key(item.list, item.code): item
        for item in CodeListItem.objects.filter(list__in=rules.SCREENING_LISTS)
    }
    assert len(found) == 46, "the reference data migration should ship 46 screening items"
    return found


@pytest.fixture
def make_case(cast) -> MakeCase:
    """Open a case for a new, invented adult (keywords choose the person and the case)."""

    def make(
        *,
        organisation: Organisation | None = None,
        by: User | None = None,
        date_of_birth: datetime.date | None = datetime.date(1995, 3, 14),
        recruited_on: datetime.date | None = None,
        **person_values: Any,
    ) -> Case:
        by = by or cast.caseworker
        person = create_person(
            organisation or cast.ngo,
            by=by,
            given_name="Nafula",
            family_name="Wekesa",
            sex="female",
            date_of_birth=date_of_birth,
            **person_values,
        )
        return open_case(person, by=by, recruited_on=recruited_on)

    return make


@pytest.fixture
def screen(cast, items) -> Screen:
    """Record a screening through the real action; answers and notes are keyed by item key."""

    def make(
        case: Case,
        answers: Mapping[str, str] = PRESUMED_ADULT,
        *,
        by: User | None = None,
        notes: Mapping[str, str] | None = None,
        age_group: str | None = None,
    ) -> Screening:
        return record_screening(
            case,
            answers={items[key]: value for key, value in answers.items()},
            notes={items[key]: text for key, text in (notes or {}).items()},
            age_group=age_group,
            by=by or cast.caseworker,
        )

    return make
