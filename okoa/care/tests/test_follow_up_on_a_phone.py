"""A caseworker records a follow-up visit on a phone-sized screen, in Debian's Chromium."""

import shutil

import pytest
from django.utils import timezone

from conftest import PASSWORD
from okoa.care.actions import start_reintegration
from okoa.care.models import FollowUpVisit

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    # The live server needs real commits; serialized_rollback puts the reference data back.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_caseworker_records_a_follow_up_visit_on_a_phone(
    live_server, cast, make_case, monkeypatch
):
    case = make_case(assigned_to=cast.caseworker)
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(cast.caseworker.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")

        page.goto(f"{live_server.url}/cases/{case.code}/follow-ups/")
        page.get_by_role("link", name="1", exact=True).click()
        page.get_by_label("Phone call").check()
        page.get_by_label("Fair").check()
        page.get_by_label("Some progress").check()
        page.get_by_label("Debt").check()
        page.get_by_label("No income or work").check()
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/cases/{case.code}/follow-ups/")

        expect(page.locator("main")).to_contain_text("Month 1: Medium")
        # Nothing overflows the phone's width.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        browser.close()

    visit = FollowUpVisit.objects.get(pk=visit.pk)
    assert (visit.contact_mode, visit.risk_level) == ("phone", "medium")
    assert visit.risk_factors == ["debt", "unemployment"]
