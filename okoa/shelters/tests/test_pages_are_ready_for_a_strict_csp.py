"""Shelter pages carry no inline script, style or event handler (strict CSP) and answer 200."""

import re

import pytest

from okoa.shelters.actions import check_in

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)

PAGES = [
    "/shelters/",
    "/shelters/new/",
    "/shelters/{shelter}/",
    "/shelters/{shelter}/edit/",
    "/shelters/{shelter}/occupancy/",
    "/shelters/check-in/{case}/",
    "/shelters/stays/{stay}/check-out/",
    "/cases/{case}/",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_inline_code(client, cast, make_case, make_shelter, page):
    case = make_case()
    shelter = make_shelter()
    stay = check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)[0]
    client.force_login(cast.supervisor)

    response = client.get(page.format(case=case.code, shelter=shelter.code, stay=stay.code))

    html = response.content.decode()
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
