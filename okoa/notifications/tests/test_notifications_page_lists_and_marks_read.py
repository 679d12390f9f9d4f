"""The notifications page lists the user's own notifications, newest first, unread ones marked;
opening one marks it read and follows its path; someone else's is a 404."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from okoa.notifications.actions import notify_organisation, notify_users
from okoa.notifications.models import Notification


def notify(organisation, reference):
    notify_organisation(
        organisation,
        event="referral_received",
        reference=reference,
        path=f"/referrals/{reference}/",
    )


def test_the_list_shows_the_users_notifications_newest_first_with_unread_marked(client, cast):
    notify(cast.ngo, "Older1")
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    notify(cast.ngo, "Newer2")
    notify(cast.partner, "Theirs3")
    Notification.objects.filter(user=cast.caseworker, reference="Older1").update(
        read_at=timezone.now()
    )
    client.force_login(cast.caseworker)

    page = client.get("/notifications/").content.decode()

    assert page.index("Newer2") < page.index("Older1")
    assert "Theirs3" not in page
    assert page.count("notification--unread") == 1
    assert re.search(r'class="notification notification--unread">.*?Newer2', page, re.S)


def test_opening_a_notification_marks_it_read_and_follows_its_path(client, cast):
    notify(cast.ngo, "Open4")
    notification = Notification.objects.get(user=cast.supervisor)
    client.force_login(cast.supervisor)

    response = client.post(f"/notifications/{notification.code}/read/", {"open": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/referrals/Open4/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    # The other members' copies stay unread.
    assert Notification.objects.filter(reference="Open4", read_at__isnull=True).count() == 3


def test_marking_read_stays_on_the_list_and_mark_all_read_clears_the_count(client, cast):
    for reference in ("A5", "B6", "C7"):
        notify(cast.ngo, reference)
    client.force_login(cast.caseworker)
    first = Notification.objects.filter(user=cast.caseworker)[0]

    response = client.post(f"/notifications/{first.code}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert Notification.objects.filter(user=cast.caseworker, read_at__isnull=True).count() == 2

    response = client.post("/notifications/read/", follow=True)
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(user=cast.caseworker, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.supervisor, read_at__isnull=True).count() == 3


def test_someone_elses_notification_is_the_same_404_as_a_missing_one(client, cast):
    notify(cast.partner, "Theirs8")
    theirs = Notification.objects.get(user=cast.partner_caseworker)
    client.force_login(cast.caseworker)

    assert client.post(f"/notifications/{theirs.code}/read/", {"open": "1"}).status_code == 404
    assert client.post("/notifications/no-such-code/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, cast):
    notify(cast.ngo, "Get9")
    notification = Notification.objects.get(user=cast.caseworker)
    client.force_login(cast.caseworker)

    assert client.get(f"/notifications/{notification.code}/read/").status_code == 405
    assert client.get("/notifications/read/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_and_30_notifications(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.caseworker)
    for n in range(3):
        notify_users([cast.caseworker], event="referral_accepted", reference=f"R{n}", path="/r/")
    with_three = queries_for(client, "/notifications/")
    for n in range(27):
        notify_users([cast.caseworker], event="referral_accepted", reference=f"S{n}", path="/r/")

    assert queries_for(client, "/notifications/") == with_three
    # Session, user, membership, the unread count, the page's count and rows.
    with django_assert_max_num_queries(8):
        client.get("/notifications/?page=2")
