"""Fixtures for intake: a few countries, a maker of invented reports, and no real waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from okoa.accounts.models import Organisation, User
from okoa.intake import actions
from okoa.intake.actions import ReceivedReport, create_report
from okoa.intake.models import Channel
from okoa.reference.models import Country


@dataclass
class Countries:
    kenya: Country
    saudi_arabia: Country
    oman: Country


@pytest.fixture
def countries(db) -> Countries:
    """The countries the tests use (shipped by the data migration; created if missing)."""

    def country(code: str, alpha3: str, name: str) -> Country:
        return Country.objects.get_or_create(code=code, defaults={"alpha3": alpha3, "name": name})[
            0
        ]

    return Countries(
        kenya=country("KE", "KEN", "Kenya"),
        saudi_arabia=country("SA", "SAU", "Saudi Arabia"),
        oman=country("OM", "OMN", "Oman"),
    )


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch):
    """Retries back off without sleeping: tests must be fast."""
    waits: list[float] = []
    monkeypatch.setattr(actions, "sleep", waits.append)
    return waits


MakeReport = Callable[..., ReceivedReport]


@pytest.fixture
def make_report(cast) -> MakeReport:
    """Record an invented report at ``cast.ngo`` (keywords choose its details)."""

    def make(
        *,
        organisation: Organisation | None = None,
        channel: str = Channel.HOTLINE,
        by: User | None = None,
        **values: Any,
    ) -> ReceivedReport:
        values.setdefault("narrative", "My sister works in a house and is not allowed out.")
        return create_report(
            organisation or cast.ngo, channel=channel, by=by or cast.operator, **values
        )

    return make


def public_form(**overrides: str) -> dict[str, str]:
    """A filled-in public report form, as a browser sends it."""
    data = {
        "location_country": "SA",
        "location_city": "Dammam",
        "narrative": "My sister Halima is locked in her employer's house and not paid.",
        "immediate_danger": "yes",
        "subject_names": "Halima Chepkoech",
        "reporter_relationship": "relative",
        "reporter_phone": "0733 456 789",
        "safe_contact": "Only WhatsApp messages after 9 pm",
        "recruitment_agency": "Baraka Gulf Placements",
        "employer": "",
        "submission": "",
        "website": "",
    }
    data.update(overrides)
    return data


# The channels' fixtures (fake Africa's Talking, the gateway's secret, Dovecot) live apart.
from .channels import africastalking, dovecot, gateway, routed  # noqa: E402, F401
