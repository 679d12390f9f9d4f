"""Every signed-in page shows the unread count in the navigation, for one query at most."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.notifications.actions import notify_users


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_navigation_shows_the_unread_count_for_one_query(client, cast):
    client.force_login(cast.caseworker)
    before, page = queries_for(client, "/")
    assert 'class="badge"' not in page

    for n in range(4):
        notify_users([cast.caseworker], event="referral_declined", reference=f"D{n}", path="/r/")
    notify_users([cast.supervisor], event="referral_declined", reference="X", path="/r/")

    after, page = queries_for(client, "/")
    assert after == before  # the count query was there already, answering 0
    assert '<span class="badge">4<span class="visually-hidden"> unread</span></span>' in page


def test_the_count_is_one_query_whatever_the_page(client, cast, settings):
    client.force_login(cast.caseworker)
    with_count, _ = queries_for(client, "/")
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    name
                    for name in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
                    if not name.startswith("okoa.notifications")
                ],
            },
        }
    ]
    without_count, _ = queries_for(client, "/")
    assert with_count - without_count == 1
