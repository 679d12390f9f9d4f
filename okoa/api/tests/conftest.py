"""Fixtures for the API tests: tokens for the cast, an API client, reference rows, records.

Names and organisations are invented.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from okoa.accounts.actions import issue_api_token
from okoa.accounts.models import User
from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.reference.models import CodeList, CodeListItem, Country, County, SubCounty


@dataclass
class ApiResponse:
    status: int
    body: Any
    text: str


class ApiClient:
    """Call the API with one member's token (or none)."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def _call(self, method: str, path: str, data: Any = None, **params: Any) -> ApiResponse:
        call = getattr(self.client, method)
        if method == "get":
            response = call(path, params, headers=self._headers())
        else:
            response = call(
                path,
                json.dumps(data or {}),
                content_type="application/json",
                headers=self._headers(),
            )
        text = response.content.decode()
        try:
            body = json.loads(text)
        except ValueError:
            body = None
        return ApiResponse(response.status_code, body, text)

    def get(self, path: str, **params: Any) -> ApiResponse:
        return self._call("get", path, **params)

    def post(self, path: str, data: Any) -> ApiResponse:
        return self._call("post", path, data)

    def patch(self, path: str, data: Any) -> ApiResponse:
        return self._call("patch", path, data)


@pytest.fixture
def api_as(cast) -> Callable[[User], ApiClient]:
    """Return a function that gives an API client with a fresh token of ``user``."""

    def client_for(user: User) -> ApiClient:
        _token, secret = issue_api_token(cast.membership(user), name="tests")
        return ApiClient(secret)

    return client_for


@pytest.fixture
def reference(db) -> dict[str, Any]:
    """The reference rows the tests use (normally loaded by a data migration)."""
    kenya, _ = Country.objects.get_or_create(
        code="KE", defaults={"alpha3": "KEN", "name": "Kenya", "name_sw": "Kenya"}
    )
    saudi, _ = Country.objects.get_or_create(
        code="SA", defaults={"alpha3": "SAU", "name": "Saudi Arabia"}
    )
    mombasa, _ = County.objects.get_or_create(code=1, defaults={"name": "Mombasa"})
    nairobi, _ = County.objects.get_or_create(code=47, defaults={"name": "Nairobi"})
    changamwe, _ = SubCounty.objects.get_or_create(
        code=1, defaults={"name": "Changamwe", "county": mombasa}
    )

    def item(code_list: str, code: str, name: str) -> CodeListItem:
        row, _ = CodeListItem.objects.get_or_create(
            list=code_list, code=code, defaults={"name": name, "source": "HTCDS 2.0"}
        )
        return row

    return {
        "KE": kenya,
        "SA": saudi,
        "mombasa": mombasa,
        "nairobi": nairobi,
        "changamwe": changamwe,
        "forced_labour": item(CodeList.EXPLOITATION_TYPE, "ForcedLabour", "Forced labour"),
        "sexual_exploitation": item(
            CodeList.EXPLOITATION_TYPE, "SexualExploitation", "Sexual exploitation"
        ),
        "domestic_work": item(
            CodeList.LABOUR_INDUSTRY,
            "T_ActivitiesOfHouseholdsAsEmployers",
            "Activities of households as employers",
        ),
        "debt_bondage": item(CodeList.METHOD_OF_CONTROL, "DebtBondage", "Debt bondage"),
        "presumed": item(
            CodeList.TRAFFICKING_STATUS,
            "PossibleVictimOfTrafficking",
            "Possible victim of trafficking",
        ),
        "online_advert": item(
            CodeList.RECRUITMENT_TYPE,
            "ThroughAnOnlineAdvertisement",
            "Through an online advertisement",
        ),
    }


@pytest.fixture
def survivor(cast, reference) -> Person:
    """A person at the NGO with distinctive, invented names and identifiers."""
    return create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Nyokabi",
        other_names=["Wairimu"],
        family_name="Gathoni",
        sex=Person.Sex.FEMALE,
        phone_numbers=["+254 712 000 111"],
        passport_number="AK0098765",
        nationality=reference["KE"],
        county_of_origin=reference["mombasa"],
    )


@pytest.fixture
def case(cast, reference, survivor) -> Case:
    """An open case of ``survivor`` with a narrative that names a place and a recruiter."""
    return open_case(
        survivor,
        by=cast.caseworker,
        assigned_to=cast.caseworker,
        narrative="Recruited by Zawadi Mutheu for domestic work in Riyadh.",
        countries_of_exploitation=[reference["SA"]],
        exploitation_types=[reference["forced_labour"]],
        trafficking_status=reference["presumed"],
    )


@pytest.fixture
def refer(cast):
    """Refer a case of the NGO to ``cast.partner`` through the real actions (consent first)."""
    from django.utils import timezone

    from okoa.referrals.actions import record_consent, send_referral

    def send(case: Case, **values: Any):
        record_consent(
            case,
            by=cast.caseworker,
            given_by="survivor",
            given_on=timezone.localdate(),
            sections=["basic", "contact", "needs", "shelter_needs"],
            any_organisation=True,
        )
        values.setdefault("to_organisation", cast.partner)
        values.setdefault("service_kind", "shelter")
        values.setdefault("sections", ["basic", "contact"])
        values.setdefault(
            "reason_note", "Needs a safe bed tonight; her employer is looking for her."
        )
        return send_referral(case, by=cast.caseworker, **values)

    return send
