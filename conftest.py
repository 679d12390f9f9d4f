"""Shared test cast, built through the real actions.

Two NGOs (``ngo`` and ``partner``): at ``ngo`` a caseworker, a supervisor, an organisation admin,
a data analyst who never sees identities and a hotline operator; at ``partner`` a caseworker who
must never see ``ngo``'s records.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from okoa.accounts.actions import create_organisation, create_user
from okoa.accounts.models import Membership, Organisation, User
from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.reference.models import CodeListItem, Country, County, SubCounty

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


@pytest.fixture(scope="session", autouse=True)
def _sender_threads_end_before_the_test_database(django_db_setup):
    """End the background sender threads (SMS, notifications, exchange) before the test
    database is dropped: their persistent connections would otherwise still be open on it
    ("database is being accessed by other users" on PostgreSQL)."""
    yield
    from okoa.exchange import delivery as exchange_delivery
    from okoa.intake.channels import outbound
    from okoa.notifications import delivery as notification_delivery

    for module in (outbound, notification_delivery, exchange_delivery):
        module.senders.stop()
    gc.collect()  # the ended threads' connection objects, closed as they go


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 at production strength makes each test user cost ~0.3 s; tests need no such cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
