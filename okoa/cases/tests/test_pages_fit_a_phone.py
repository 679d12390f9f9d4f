"""In a real browser (Debian's Chromium): pages fit a 360 px wide phone screen, break no rule of
the Content Security Policy, and htmx updates the case list when a filter changes."""

import shutil

import pytest

from okoa.cases.actions import add_case_note, update_case

CHROMIUM = shutil.which("chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    # serialized_rollback: the live server needs real commits, and the reference data that the
    # migrations load must be there again for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_pages_fit_a_360_pixel_wide_screen(live_server, client, cast, make_case, places):
    case = make_case(
        given_name="Wanjiku",
        family_name="Nyambura-Kamau",
        other_names=["Shiku"],
        phone_numbers=["0712 345 678", "+971 50 123 4567"],
        county=places.nairobi,
        exploitation_types=(places.forced_labour, places.sexual_exploitation),
        assigned_to=cast.caseworker,
    )
    update_case(case, by=cast.caseworker, narrative="A long narrative. " * 40)
    add_case_note(case, body="Averyveryverylongwordwithoutanyspaces" * 3, by=cast.caseworker)
    client.force_login(cast.supervisor)
    session = client.cookies["sessionid"].value
    pages = [
        "/",
        "/cases/",
        f"/cases/{case.code}/",
        "/cases/new/",
        f"/cases/{case.code}/edit/",
        f"/people/{case.person.code}/",
        "/search/",
        "/accounts/tokens/",
    ]
    # Imported here: Playwright runs an event loop, so the database set-up comes first.
    from playwright.sync_api import sync_playwright

    too_wide, refused = {}, []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        context = browser.new_context(viewport={"width": 360, "height": 740})
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("console", lambda message: refused.append(message.text))
        for path in pages:
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                too_wide[path] = width

        page.goto(live_server.url + "/cases/")
        page.select_option("#id_status", "closed")
        page.wait_for_url("**/cases/?*status=closed*")
        page.wait_for_selector("#case-results >> text=No cases match these filters.")
        browser.close()

    assert too_wide == {}
    assert [text for text in refused if "Content Security Policy" in text] == []
