"""On a 360-pixel phone, in Debian's Chromium: the receiving caseworker sees the unread count,
opens the new referral from the notifications page (which marks it read), and a supervisor reads
the referral statistics without the page scrolling sideways."""

import shutil

import pytest
from django.utils import timezone

from conftest import PASSWORD
from okoa.referrals.actions import accept_referral, record_consent, send_referral

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/")


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_new_referral_is_opened_from_the_notifications_and_statistics_fit_a_phone(
    live_server, cast, make_case, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    case = make_case(given_name="Wanjiru", family_name="Otieno", assigned_to=cast.caseworker)
    record_consent(
        case,
        by=cast.caseworker,
        given_by="survivor",
        given_on=timezone.localdate(),
        sections=["basic"],
        any_organisation=True,
    )
    first = send_referral(
        case,
        to_organisation=cast.partner,
        by=cast.caseworker,
        reason_note="A safe bed tonight.",
        service_kind="shelter",
    )
    second = send_referral(
        case,
        to_organisation=cast.partner,
        by=cast.caseworker,
        reason_note="Counselling.",
        service_kind="psychosocial",
    )
    accept_referral(first, by=cast.partner_caseworker)
    base = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        receiver = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
        sign_in(receiver, base, cast.partner_caseworker)
        nav = receiver.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Notifications 2 unread")).to_be_visible()

        nav.get_by_role("link", name="Notifications").click()
        assert fits_the_screen(receiver)
        rows = receiver.locator("li.notification--unread")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text(second.code)  # newest first
        assert "Wanjiru" not in receiver.content()
        receiver.screenshot(path="/tmp/okoa-notifications-360.png", full_page=True)
        rows.first.get_by_role("button", name="Open").click()
        receiver.wait_for_url(f"{base}/referrals/{second.code}/")
        expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()

        supervisor = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
        sign_in(supervisor, base, cast.supervisor)
        # Less used pages are behind "More" in the navigation.
        supervisor.locator(".site-nav summary", has_text="More").click()
        supervisor.get_by_role("link", name="Referral statistics").click()
        expect(supervisor.locator("dl.counts")).to_contain_text("2")
        assert fits_the_screen(supervisor)
        supervisor.screenshot(path="/tmp/okoa-statistics-360.png", full_page=True)
        browser.close()
