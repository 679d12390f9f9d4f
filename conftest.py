"""Shared test cast, built through the real actions.

Two NGOs (``ngo`` and ``partner``): at ``ngo`` a caseworker, a supervisor, an organisation admin,
a data analyst who never sees identities and a hotline operator; at ``partner`` a caseworker who
must never see ``ngo``'s records.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from okoa.accounts.actions import create_organisation, create_user
from okoa.accounts.models import Membership, Organisation, User

PASSWORD = "correct horse battery staple 42"


@dataclass
class Cast:
    ngo: Organisation
    partner: Organisation
    caseworker: User
    supervisor: User
    admin: User
    analyst: User
    operator: User
    partner_caseworker: User

    def membership(self, user: User) -> Membership:
        return user.memberships.select_related("organisation", "user").get()


@pytest.fixture
def cast(db) -> Cast:
    ngo = create_organisation(name="Tumaini Haven Trust", kind="ngo", reference_prefix="TUM")
    partner = create_organisation(
        name="Mwangaza Rescue Network", kind="ngo", reference_prefix="MWA"
    )

    def user(email: str, name: str, organisation: Organisation, role: str) -> User:
        return create_user(
            email=email, full_name=name, password=PASSWORD, organisation=organisation, role=role
        )

    R = Membership.Role
    return Cast(
        ngo=ngo,
        partner=partner,
        caseworker=user("caseworker@tumaini.test", "Achieng Caseworker", ngo, R.CASEWORKER),
        supervisor=user("supervisor@tumaini.test", "Baraka Supervisor", ngo, R.SUPERVISOR),
        admin=user("admin@tumaini.test", "Chausiku Admin", ngo, R.ORGANISATION_ADMIN),
        analyst=user("analyst@tumaini.test", "Dalmas Analyst", ngo, R.DATA_ANALYST),
        operator=user("operator@tumaini.test", "Eshe Operator", ngo, R.HOTLINE_OPERATOR),
        partner_caseworker=user(
            "caseworker@mwangaza.test", "Faraji Partner", partner, R.CASEWORKER
        ),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength makes each test user cost ~0.3 s; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
