"""The referral operations answer every role and organisation as the referral pages do: another
organisation's referral is the same 404 as a missing one, and roles that do not see survivors'
details (data analysts, hotline operators) get the pages' 403 for the list and 404 for one."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import PASSWORD
from okoa.accounts.actions import create_organisation, create_user

MADE_UP_CODE = "AAAAAAAAAAAAAAAA"
ROLES = ("caseworker", "supervisor", "admin", "analyst", "operator", "partner_caseworker")


@pytest.fixture
def outsider(db):
    third = create_organisation(
        name="Baraka Children's Home", kind="shelter", reference_prefix="BCH"
    )
    return create_user(
        email="caseworker@baraka.test",
        full_name="Kendi Outsider",
        password=PASSWORD,
        organisation=third,
        role="caseworker",
    )


def page_status(user, path: str) -> int:
    client = Client()
    client.force_login(user)
    return client.get(path).status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_of_the_referral_pages(cast, api_as, case, refer, role):
    referral = refer(case)
    user = getattr(cast, role)
    api = api_as(user)
    assert api.get("/api/referrals").status == page_status(user, "/referrals/sent/")
    assert api.get(f"/api/referrals/{referral.code}").status == page_status(
        user, f"/referrals/{referral.code}/"
    )


@pytest.mark.parametrize("role", ["analyst", "operator"])
def test_roles_without_survivors_details_see_nothing_of_a_referral(cast, api_as, case, refer, role):
    referral = refer(case, sections=["basic", "contact"])
    api = api_as(getattr(cast, role))
    listing = api.get("/api/referrals")
    one = api.get(f"/api/referrals/{referral.code}")
    missing = api.get(f"/api/referrals/{MADE_UP_CODE}")
    assert listing.status == 403
    assert listing.body == {"detail": "Your role does not include survivors' details."}
    assert (one.status, one.text) == (missing.status, missing.text) == (404, missing.text)
    for response in (listing, one):
        for hidden in ("Nyokabi", "Gathoni", "+254 712 000 111", "her employer", referral.code):
            assert hidden not in response.text


def test_another_organisation_gets_the_same_404_as_a_missing_referral(
    cast, api_as, case, refer, outsider
):
    referral = refer(case)
    api = api_as(outsider)
    theirs = api.get(f"/api/referrals/{referral.code}")
    missing = api.get(f"/api/referrals/{MADE_UP_CODE}")
    assert theirs.status == missing.status == 404
    assert theirs.text == missing.text
    assert api.get("/api/referrals").body == {"items": [], "next_cursor": None}


def test_each_side_lists_only_its_own_referrals(cast, api_as, make_case, refer, outsider):
    ours = refer(make_case(given_name="Nekesa"))
    theirs = refer(
        make_case(given_name="Atieno"), to_organisation=outsider.memberships.get().organisation
    )
    listed = {
        user: [item["code"] for item in api_as(user).get("/api/referrals").body["items"]]
        for user in (cast.caseworker, cast.partner_caseworker, outsider)
    }
    assert listed[cast.caseworker] == [theirs.code, ours.code]
    assert listed[cast.partner_caseworker] == [ours.code]
    assert listed[outsider] == [theirs.code]
