"""A caseworker opens their day on a phone-sized screen, in Debian's Chromium without
JavaScript, follows an overdue visit to its page and records it; the visit leaves the day."""

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


def test_a_caseworker_works_through_the_day_on_a_phone(
    live_server, cast, make_case, move_back, monkeypatch
):
    case = make_case(given_name="Akinyi", assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    move_back(case, 40)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=False
        )
        page = context.new_page()
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email address").fill(cast.caseworker.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + "/")

        page.get_by_role("link", name="My day: follow-ups").click()
        page.wait_for_url(live_server.url + "/dashboard/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        follow_ups = page.locator("#follow-ups")
        expect(follow_ups).to_contain_text(case.reference)
        expect(follow_ups).to_contain_text("overdue")
        follow_ups.get_by_role("link", name="Follow-up at 1 months").click()
        page.get_by_label("Home visit").check()
        page.get_by_label("Good", exact=True).check()
        page.get_by_label("On track").check()
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"**/cases/{case.code}/follow-ups/")

        page.goto(live_server.url + "/dashboard/")
        expect(page.locator("#follow-ups")).not_to_contain_text("Follow-up at 1 months")
        browser.close()

    assert FollowUpVisit.objects.get(case=case, month=1).is_recorded
