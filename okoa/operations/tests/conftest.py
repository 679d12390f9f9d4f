"""Fixtures for operations: an operation, and manifest files of invented people."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from okoa.operations.actions import create_operation
from okoa.operations.models import Operation
from okoa.reference.models import Country

MEN = [
    "Kiprono", "Otieno", "Mwangi", "Baraka", "Juma", "Wekesa", "Kamau", "Omondi",
    "Kipchumba", "Mutua", "Barasa", "Njoroge", "Ouma", "Karanja", "Chege", "Onyango",
]  # fmt: skip
WOMEN = [
    "Achieng", "Wanjiru", "Chepkoech", "Nafula", "Akinyi", "Wambui", "Jepkosgei", "Nyokabi",
    "Adhiambo", "Muthoni", "Chebet", "Awino", "Wairimu", "Kerubo", "Nekesa",
]  # fmt: skip
FAMILIES = ["Too", "Oduya", "Kilonzo", "Makokha", "Nduta", "Rotich", "Simiyu", "Gathoni"]
HEADER = [
    "given_name", "family_name", "sex", "age", "nationality", "phone", "passport_number",
    "county", "location_country", "status",
]  # fmt: skip

ManifestRows = list[list[str]]


def thirty_one_people() -> ManifestRows:
    """31 invented people: 16 men, 15 women; 29 from Kenya, 1 from Uganda, 1 from Burundi."""
    rows = []
    for index, given in enumerate(MEN + WOMEN):
        sex = "male" if index < len(MEN) else "female"
        nationality = {29: "UG", 30: "BI"}.get(index, "KE")
        rows.append(
            [
                given,
                FAMILIES[index % len(FAMILIES)],
                sex,
                str(19 + index % 15),
                nationality,
                f"+2547{index:08d}",
                f"AK{index:06d}",
                "Kakamega" if nationality == "KE" else "",
                "MM" if index % 2 else "TH",
                "located",
            ]
        )
    return rows


def as_csv(rows: ManifestRows, header: list[str] | None = None) -> bytes:
    """The rows as a UTF-8 CSV file with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@pytest.fixture
def operation(cast) -> Operation:
    """An invented operation led by the cast's NGO, with people held in two countries."""
    return create_operation(
        cast.ngo,
        by=cast.caseworker,
        name="Compound rescue, November 2026",
        countries=Country.objects.filter(code__in=["MM", "TH"]),
        status=Operation.Status.ACTIVE,
    )


@pytest.fixture
def manifest_csv() -> Callable[..., bytes]:
    return as_csv
