"""A referral's round trip, in Debian's Chromium: a caseworker records the survivor's consent and
refers the case to another organisation; that organisation's caseworker sees only the shared
sections (never the case), accepts and completes the referral; the sender sees the outcome."""

import shutil

import pytest

from conftest import PASSWORD

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    # The live server needs real commits; serialized_rollback puts the reference data that the
    # migrations load back for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/")


def test_a_referral_goes_out_is_accepted_and_completed_and_the_sender_sees_the_outcome(
    live_server, cast, make_case, places, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; the test's own database reads
    # are plain synchronous calls all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    case = make_case(
        given_name="Nyokabi",
        family_name="Wairimu",
        county=places.mombasa,
        phone_numbers=["0700 000 188"],
        passport_number="DEMO-7788",
        assigned_to=cast.caseworker,
    )
    base = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        sender = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
        sign_in(sender, base, cast.caseworker)

        # Consent first, from the case page.
        sender.goto(f"{base}/cases/{case.code}/")
        sender.get_by_role("link", name="Referrals and consent").click()
        sender.get_by_role("link", name="Record consent").click()
        sender.check("input[name=given_by][value=survivor]")
        sender.check("#id_any_organisation")
        sender.check("input[name=sections][value=contact]")
        sender.get_by_role("button", name="Save").click()
        expect(sender.locator(".messages")).to_contain_text("The consent is recorded.")

        # The referral: basic details (already ticked) and contact, nothing else.
        sender.get_by_role("link", name="Refer to another organisation").first.click()
        sender.select_option("#id_to_organisation", label=cast.partner.name)
        sender.select_option("#id_service_kind", "shelter")
        sender.check("input[name=urgency][value=urgent]")
        sender.check("input[name=sections][value=contact]")
        sender.fill("#id_reason_note", "Needs a safe bed tonight near Mombasa.")
        sender.get_by_role("button", name="Send the referral").click()
        expect(sender.locator(".messages")).to_contain_text("The referral is sent")
        code = sender.url.rstrip("/").rsplit("/", 1)[1]

        # The receiver finds it in the list and sees only what was shared.
        receiver = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
        sign_in(receiver, base, cast.partner_caseworker)
        receiver.goto(f"{base}/referrals/received/")
        receiver.get_by_role("link", name=code).click()
        main = receiver.locator("main")
        expect(main).to_contain_text("Nyokabi")
        expect(main).to_contain_text("0700 000 188")
        expect(main).to_contain_text("Needs a safe bed tonight")
        for hidden in ("Wairimu", "DEMO-7788", case.reference):
            expect(main).not_to_contain_text(hidden)
        # Never the case itself.
        assert receiver.goto(f"{base}/cases/{case.code}/").status == 404

        receiver.goto(f"{base}/referrals/{code}/")
        receiver.get_by_role("button", name="Accept").click()
        expect(receiver.locator(".messages")).to_contain_text("You accepted the referral.")
        receiver.select_option("#id_outcome", "service_provided")
        receiver.fill("#id_note", "Stayed three nights, then went to her aunt.")
        receiver.get_by_role("button", name="Complete").click()
        expect(receiver.locator(".messages")).to_contain_text("The referral is completed.")
        # Closed: the shared details are gone for the receiver, the outcome stays.
        expect(receiver.locator("main")).not_to_contain_text("Nyokabi")
        expect(receiver.locator("main")).to_contain_text("Service provided")

        # The sender sees the outcome.
        sender.goto(f"{base}/referrals/sent/")
        expect(sender.locator("main")).to_contain_text("Completed")
        sender.get_by_role("link", name=code).click()
        expect(sender.locator(".outcome")).to_contain_text("Service provided")
        expect(sender.locator(".outcome")).to_contain_text("Stayed three nights")
        browser.close()
