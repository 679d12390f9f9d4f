"""Screening pages carry no inline script, style or event handler, and work without JavaScript
(plain forms with radio buttons posted to the server)."""

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)

PAGES = [
    "/cases/{case}/screening/new/",
    "/cases/{case}/screenings/",
    "/cases/{case}/screenings/{screening}/",
    "/cases/{case}/",  # the screening panel on the case page
]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_inline_code(client, cast, make_case, screen, page):
    case = make_case()
    screening = screen(case)
    client.force_login(cast.caseworker)

    response = client.get(page.format(case=case.code, screening=screening.code))

    html = response.content.decode()
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
    assert "hx-" not in html.split('<main id="main"', 1)[1]
