"""Fixtures for retention and erasure: an invented survivor's whole file, built through the real
actions (a hotline call, its report, the person, a case with a narrative, a note, a status
reason and a screening), and helpers to read the database as it is stored."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from okoa.accounts.models import Organisation, User
from okoa.cases.actions import add_case_note, change_case_status, open_case
from okoa.cases.models import Case
from okoa.intake.actions import create_report_from_call, log_hotline_call, open_case_from_report
from okoa.intake.actions import update_report as update_intake_report
from okoa.intake.models import HotlineCall, Report
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.reference.models import CodeListItem, Country, County
from okoa.retention.actions import approve_erasure, request_erasure
from okoa.retention.models import ErasureRequest
from okoa.screening import rules
from okoa.screening.actions import decide_screening, record_screening
from okoa.screening.models import Screening
from okoa.vault.rotation import encrypted_columns

# What the invented survivor's file holds; none of it may survive an erasure.
SECRETS = [
    "Nyokabi",
    "Wambui",
    "Shiro",
    "722987654",
    "733111222",
    "27182818",
    "AK1234567",
    "villa near the souk",
    "Mlima Tatu",
    "Otieno",
    "Muscat",
    "agent called Juma",
]


@dataclass
class Places:
    kenya: Country
    mombasa: County
    nairobi: County


@pytest.fixture
def places(db) -> Places:
    """The reference rows the tests use (shipped by the data migration; created if missing)."""
    kenya = Country.objects.get_or_create(code="KE", defaults={"alpha3": "KEN", "name": "Kenya"})[0]
    mombasa = County.objects.get_or_create(code=1, defaults={"name": "Mombasa"})[0]
    nairobi = County.objects.get_or_create(code=47, defaults={"name": "Nairobi"})[0]
    return Places(kenya=kenya, mombasa=mombasa, nairobi=nairobi)


@dataclass
class SurvivorFile:
    person: Person
    case: Case
    report: Report
    call: HotlineCall
    screening: Screening


@pytest.fixture
def survivor_file(cast, places) -> SurvivorFile:
    """An invented survivor at ``cast.ngo``, from a relative's hotline call to a closed case."""
    call = log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="trafficking_report",
        caller_type="relative",
        caller_phone="0733 111 222",
        notes="Her sister says she is kept in a villa near the souk in Muscat.",
    )
    report = create_report_from_call(call, by=cast.operator).report
    update_intake_report(
        report,
        by=cast.operator,
        subject_names=["Nyokabi Wambui"],
        subject_phone_numbers=["0722 987 654"],
        location_city="Muscat",
        recruitment_agency="An agent called Juma",
    )
    case = open_case_from_report(
        report,
        by=cast.caseworker,
        person_values={
            "given_name": "Nyokabi",
            "family_name": "Wambui",
            "other_names": ["Shiro"],
            "sex": "female",
            "date_of_birth": datetime.date(1998, 5, 2),
            "phone_numbers": ["0722 987 654"],
            "national_id_number": "27182818",
            "passport_number": "AK1234567",
            "nationality": places.kenya,
            "county_of_origin": places.mombasa,
        },
        case_details={
            "narrative": "Held in a villa near the souk; the agent called Juma kept her passport."
        },
    )
    add_case_note(case, body="Her aunt in Mlima Tatu can take her in.", by=cast.caseworker)
    act = CodeListItem.objects.get_or_create(
        list=rules.ACT_LIST, code="TARC", defaults={"name": "Recruitment", "source": "Palermo"}
    )[0]
    screening = record_screening(
        case,
        answers={act: "yes"},
        notes={act: "Recruited by a neighbour called Otieno."},
        by=cast.caseworker,
    )
    decide_screening(
        screening,
        decision=rules.Suggestion.FURTHER_SCREENING.value,
        reason="Ask again about Otieno.",
        by=cast.supervisor,
    )
    change_case_status(case, to="closed", by=cast.caseworker, reason="Went home to Mlima Tatu.")
    case.refresh_from_db()
    return SurvivorFile(
        person=case.person,
        case=case,
        report=Report.objects.get(pk=report.pk),
        call=HotlineCall.objects.get(pk=call.pk),
        screening=screening,
    )


MakeCase = Callable[..., Case]


@pytest.fixture
def make_case(cast, places) -> MakeCase:
    """Open a case for a new, invented person; keywords choose the person's details."""

    def make(
        *,
        organisation: Organisation | None = None,
        by: User | None = None,
        given_name: str = "Akinyi",
        family_name: str = "Odhiambo",
        sex: str = "female",
        county: County | None = None,
        **person_values: Any,
    ) -> Case:
        by = by or (cast.partner_caseworker if organisation == cast.partner else cast.caseworker)
        person = create_person(
            organisation or cast.ngo,
            by=by,
            given_name=given_name,
            family_name=family_name,
            sex=sex,
            county_of_origin=county or places.nairobi,
            phone_numbers=["0711 222 333"],
            **person_values,
        )
        return open_case(person, by=by, narrative="Worked without pay in a hotel kitchen.")

    return make


def close_days_ago(case: Case, days: int, *, by: User | None = None) -> None:
    """Close the case and move its closing back in time (as if ``days`` had passed)."""
    if case.status != Case.Status.CLOSED:
        change_case_status(case, to=Case.Status.CLOSED, by=by)
    closed_at = timezone.now() - datetime.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    case.refresh_from_db()


@pytest.fixture
def erase(cast) -> Callable[..., ErasureRequest]:
    """Erase a person the way the screens do: a caseworker asks, the supervisor approves."""

    def run(person: Person, *, include_dependants: bool = False) -> ErasureRequest:
        erasure_request = request_erasure(
            person,
            reason="The survivor asked us to forget her details.",
            include_dependants=include_dependants,
            by=cast.caseworker,
        )
        approve_erasure(erasure_request, by=cast.supervisor)
        erasure_request.refresh_from_db()
        person.refresh_from_db()
        return erasure_request

    return run


def all_rows_as_text() -> str:
    """Every row of every table, as stored."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def stored_ciphertexts() -> set[str]:
    """Every non-empty encrypted value in the database, as stored (sealed)."""
    values: set[str] = set()
    # Only the tables in the database: a model whose migration is not written yet has none.
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model, fields in encrypted_columns():
            if model._meta.db_table not in tables:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            for field in fields:
                column = connection.ops.quote_name(field.column or field.name)
                cursor.execute(f"SELECT {column} FROM {table}")
                values.update(value for (value,) in cursor.fetchall() if value)
    return values


PASSWORD_FOR_TESTS = "another horse battery staple 7"
