"""The home page and the navigation lead caseworkers to their day and supervisors to the
team's view; roles without case work see neither link."""

import pytest


@pytest.mark.parametrize(
    ("role", "day", "team"),
    [
        ("caseworker", True, False),
        ("supervisor", True, True),
        ("admin", True, True),
        ("analyst", False, False),
        ("operator", False, False),
    ],
)
def test_home_links_to_the_dashboards_the_role_may_open(client, cast, role, day, team):
    client.force_login(getattr(cast, role))

    html = client.get("/").content.decode()

    assert ('href="/dashboard/"' in html) is day
    assert ('href="/dashboard/team/"' in html) is team


def test_the_navigation_marks_the_day_as_the_current_page(client, cast):
    client.force_login(cast.caseworker)

    html = client.get("/dashboard/").content.decode()

    assert '<a href="/dashboard/" aria-current="page">My day</a>' in html
