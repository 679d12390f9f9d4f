"""Referral and directory pages carry no inline script, style or event handler (strict CSP) and
answer 200 to the members they are for."""

import re

import pytest

from conftest import PASSWORD
from okoa.accounts.actions import create_user
from okoa.directory.actions import create_service

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)

PAGES = [
    ("caseworker", "/referrals/cases/{case}/"),
    ("caseworker", "/referrals/cases/{case}/consent/"),
    ("caseworker", "/referrals/cases/{case}/new/"),
    ("caseworker", "/referrals/cases/{case}/new/?service={service}"),
    ("supervisor", "/referrals/cases/{case}/consent/override/"),
    ("caseworker", "/referrals/{referral}/"),
    ("partner_caseworker", "/referrals/{referral}/"),
    ("caseworker", "/referrals/sent/"),
    ("partner_caseworker", "/referrals/received/"),
    ("admin", "/referrals/deadlines/"),
    ("caseworker", "/cases/{case}/"),
    ("operator", "/directory/"),
    ("caseworker", "/directory/?kind=shelter&county={county}"),
    ("caseworker", "/directory/{service}/"),
    ("partner_admin", "/directory/new/"),
    ("partner_admin", "/directory/{service}/edit/"),
]


@pytest.mark.parametrize(("role", "page"), PAGES)
def test_page_has_no_inline_code(client, cast, places, make_case, refer, role, page):
    case = make_case()
    referral = refer(case, sections=["basic", "contact", "needs", "shelter_needs"])
    partner_admin = create_user(
        email="admin@mwangaza.test",
        full_name="Kioko Partner Admin",
        password=PASSWORD,
        organisation=cast.partner,
        role="organisation_admin",
    )
    service = create_service(
        cast.partner,
        by=partner_admin,
        kind="shelter",
        name="Mwangaza Safe House",
        counties=[places.mombasa],
        contact_phone="0700 000 140",
    )
    client.force_login(partner_admin if role == "partner_admin" else getattr(cast, role))

    response = client.get(
        page.format(
            case=case.code, referral=referral.code, service=service.code, county=places.mombasa.pk
        )
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
