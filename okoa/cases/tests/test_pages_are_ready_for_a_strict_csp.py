"""Pages carry no inline script, style or event handler (a strict CSP comes later), and ask
search engines to keep out."""

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)

PAGES = [
    "/",
    "/cases/",
    "/cases/new/",
    "/cases/{case}/",
    "/cases/{case}/edit/",
    "/people/{person}/",
    "/people/{person}/edit/",
    "/people/{person}/dependants/new/",
    "/search/",
    "/accounts/tokens/",
    "/accounts/organisation/",
    "/cases/Xq3mZr8KpLw2Vn7T/",  # the 404 page
]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_inline_code_and_is_not_indexed(client, cast, make_case, page):
    case = make_case()
    client.force_login(cast.supervisor)

    html = client.get(page.format(case=case.code, person=case.person.code)).content.decode()

    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<a class="skip-link" href="#main">' in html


def test_the_sign_in_page_has_no_inline_code(client, db):
    html = client.get("/accounts/login/").content.decode()

    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)


def test_the_error_page_renders_without_any_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert not INLINE_SCRIPT.search(response.content.decode())
