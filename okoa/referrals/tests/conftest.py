"""Fixtures of the referral tests: consent and referrals made through the real actions.

The sender is ``cast.ngo`` (its caseworker refers), the receiver ``cast.partner`` (its
caseworker answers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from okoa.cases.models import Case
from okoa.exchange.tests.conftest import partner_server  # noqa: F401  (a fixture, used below)
from okoa.referrals.actions import record_consent, send_referral
from okoa.referrals.models import Consent, Referral

GiveConsent = Callable[..., Consent]
Refer = Callable[..., Referral]


@pytest.fixture
def give_consent(cast) -> GiveConsent:
    """Record the survivor's consent (to any organisation, every section unless told)."""

    def give(case: Case, **values: Any) -> Consent:
        values.setdefault("given_by", "survivor")
        values.setdefault("given_on", timezone.localdate())
        values.setdefault("sections", ["basic", "contact", "needs", "shelter_needs"])
        if "organisations" not in values:
            values.setdefault("any_organisation", True)
        return record_consent(case, by=cast.caseworker, **values)

    return give


@pytest.fixture
def refer(cast, give_consent) -> Refer:
    """Refer ``case`` from ``cast.ngo`` to ``cast.partner`` (consent recorded first unless
    ``consent=False``)."""

    def send(case: Case, *, consent: bool = True, **values: Any) -> Referral:
        if consent:
            give_consent(case)
        values.setdefault("to_organisation", cast.partner)
        values.setdefault("service_kind", "shelter")
        values.setdefault(
            "reason_note", "Needs a safe bed tonight; her employer is looking for her."
        )
        return send_referral(case, by=cast.caseworker, **values)

    return send


@pytest.fixture
def partner_installation(cast, settings):
    """A partner installation played by the test, its desk known here as a stand-in
    (``okoa/referrals/tests/partner_world.py``)."""
    from okoa.referrals.tests.partner_world import build_partner_world

    return build_partner_world(settings)


@pytest.fixture
def remote(partner_installation):
    """The installation that ``partner_server`` (the partner's inbox on a real HTTP server on
    127.0.0.1, ``okoa/exchange/tests/conftest.py``) plays: the partner of
    ``partner_installation``."""
    return partner_installation.installation
