"""A caseworker's first hour, in Debian's Chromium: sign in, record a survivor and open a case,
find them again by a misspelt name, and switch the interface to Kiswahili."""

import shutil

import pytest

from conftest import PASSWORD
from okoa.cases.models import Case

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    # The live server needs real commits; serialized_rollback puts the reference data that the
    # migrations load back for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_caseworker_signs_in_opens_a_case_finds_it_misspelt_and_switches_to_kiswahili(
    live_server, cast, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # are plain synchronous calls all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # Imported here: Playwright runs an event loop, so the database set-up comes first.
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(viewport={"width": 390, "height": 800}).new_page()

        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(cast.caseworker.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")

        page.goto(live_server.url + "/cases/new/")
        page.fill("#id_person-given_name", "Nyawira")
        page.fill("#id_person-family_name", "Gachanja")
        page.select_option("#id_person-sex", "female")
        page.fill("#id_person-estimated_age", "24")
        page.get_by_role("button", name="Open the case").click()
        page.wait_for_url("**/cases/*/")
        case = Case.objects.get()
        assert page.url.endswith(f"/cases/{case.code}/")
        expect(page.locator("main")).to_contain_text(case.reference)
        expect(page.locator("main")).to_contain_text("Nyawira Gachanja")

        page.goto(live_server.url + "/search/")
        page.fill("#id_q", "Nyawra Gachanja")
        page.get_by_role("button", name="Search").click()
        results = page.locator(".search-results")
        expect(results).to_contain_text("Nyawira Gachanja")
        expect(results).to_contain_text(case.reference)
        # What was typed never reaches the address bar.
        assert "Nyaw" not in page.url

        page.get_by_role("button", name="Kiswahili").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "sw")
        expect(page.get_by_role("button", name="English")).to_be_visible()
        browser.close()
