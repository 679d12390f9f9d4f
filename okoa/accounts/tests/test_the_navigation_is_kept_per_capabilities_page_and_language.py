"""The navigation is rendered once per language, capabilities and page, and kept: a member
never gets another role's links, another page's mark or another member's unread count."""

import re

from okoa.notifications.actions import notify_users


def navigation(client, url: str) -> str:
    html = client.get(url).content.decode()
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert found is not None, html
    return found.group(0)


def test_each_role_keeps_its_own_links_and_each_member_their_own_count(client, cast):
    notify_users([cast.caseworker], event="referral_declined", reference="D1", path="/r/")
    client.force_login(cast.caseworker)
    first = navigation(client, "/cases/")
    again = navigation(client, "/cases/")  # from the kept navigation
    assert first == again
    assert '<span class="badge">1<span class="visually-hidden"> unread</span></span>' in first
    assert 'href="/dashboard/team/"' not in first  # a caseworker does not supervise

    # A caseworker of another organisation: the same capabilities on the same page, so the
    # same kept navigation, but the count is theirs alone.
    client.force_login(cast.partner_caseworker)
    other = navigation(client, "/cases/")
    assert 'class="badge"' not in other
    assert other == first.replace(
        ' <span class="badge">1<span class="visually-hidden"> unread</span></span>', ""
    )
    client.force_login(cast.caseworker)
    assert navigation(client, "/cases/") == first

    client.force_login(cast.supervisor)
    supervisor = navigation(client, "/cases/")
    assert 'href="/dashboard/team/"' in supervisor
    assert 'class="badge"' not in supervisor

    client.force_login(cast.analyst)
    analyst = navigation(client, "/cases/")
    assert 'href="/dashboard/"' not in analyst


def test_the_current_page_is_marked_on_each_page(client, cast):
    client.force_login(cast.caseworker)
    assert '<a href="/cases/" aria-current="page">Cases</a>' in navigation(client, "/cases/")
    search = navigation(client, "/search/")
    assert '<a href="/cases/" aria-current="page">' not in search
    assert 'aria-current="page">Search</a>' in search


def test_each_language_keeps_its_own_navigation(client, cast):
    client.force_login(cast.caseworker)
    english = navigation(client, "/cases/")
    client.cookies["django_language"] = "sw"
    kiswahili = navigation(client, "/cases/")
    assert english != kiswahili
    assert ">Cases</a>" in english and ">Cases</a>" not in kiswahili
