"""The sign-in, verification and password pages carry no inline script, style or event handler,
and pages showing secrets are never stored."""

import re

import pytest

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def assert_no_inline_code(html):
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)


@pytest.mark.parametrize(
    "page", ["/accounts/login/", "/accounts/password/reset/", "/accounts/password/reset/sent/"]
)
def test_public_pages_have_no_inline_code(client, db, page):
    assert_no_inline_code(client.get(page).content.decode())


def test_the_code_page_has_no_inline_code(client, cast, enrol, sign_in_with_password):
    enrol(cast.caseworker)
    sign_in_with_password(client, cast.caseworker.email)

    assert_no_inline_code(client.get("/accounts/login/code/").content.decode())


@pytest.mark.parametrize("page", ["/accounts/two-factor/", "/accounts/password/"])
def test_account_pages_have_no_inline_code_and_are_not_stored(client, cast, page):
    client.force_login(cast.caseworker)

    response = client.get(page)

    assert_no_inline_code(response.content.decode())
    assert "no-store" in response["Cache-Control"]


def test_recovery_codes_are_never_stored(client, cast, enrol, sign_in_with_password, totp_code):
    enrolled = enrol(cast.caseworker)
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    response = client.post("/accounts/two-factor/recovery-codes/")

    assert_no_inline_code(response.content.decode())
    assert "no-store" in response["Cache-Control"]
