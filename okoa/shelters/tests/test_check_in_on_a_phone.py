"""A caseworker checks a survivor in from the case page on a 360-pixel phone, without
JavaScript, in Debian's Chromium, and finds her on the shelter's resident list."""

import os
import shutil

import pytest

from conftest import PASSWORD
from okoa.shelters.models import ShelterStay

CHROMIUM = shutil.which("chromium")
WIDTH = 360

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    # The live server needs real commits; serialized_rollback puts the reference data back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_caseworker_checks_a_survivor_in_on_a_phone(
    live_server, cast, make_case, make_shelter, monkeypatch
):
    case = make_case(given_name="Wanjiru", family_name="Kamau", assigned_to=cast.caseworker)
    shelter = make_shelter(name="Nyumba ya Faraja", capacity=6)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(
            viewport={"width": WIDTH, "height": 780}, java_script_enabled=False
        )
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(cast.caseworker.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")

        page.goto(f"{live_server.url}/cases/{case.code}/")
        page.get_by_role("link", name="Check in to a shelter").click()
        page.get_by_label("Nyumba ya Faraja", exact=False).check()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        page.get_by_role("button", name="Check in").click()
        page.wait_for_url(f"**/cases/{case.code}/")
        expect(page.locator("main")).to_contain_text("Checked in to Nyumba ya Faraja: 1 person.")

        page.goto(f"{live_server.url}/shelters/{shelter.code}/")
        expect(page.locator("main")).to_contain_text("Wanjiru Kamau")
        # Nothing overflows the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        if os.environ.get("OKOA_SCREENSHOTS"):
            page.screenshot(path=os.environ["OKOA_SCREENSHOTS"] + "/shelter.png", full_page=True)
            page.goto(f"{live_server.url}/shelters/")
            page.screenshot(path=os.environ["OKOA_SCREENSHOTS"] + "/list.png", full_page=True)
        browser.close()

    assert ShelterStay.objects.get().person == case.person
