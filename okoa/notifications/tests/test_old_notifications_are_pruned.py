"""``manage.py prune_notifications`` (daily) deletes notifications read more than 90 days ago,
unread ones older than a year, and notification emails and SMS sent or failed more than 30 days
ago, in batches. Recent ones stay, unread ones within the year stay (and the navigation still
counts them), queued and sending messages stay whatever their age, and a second run deletes
nothing."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from okoa.notifications import actions
from okoa.notifications.access import unread_count_for_user
from okoa.notifications.actions import notify_organisation, notify_users
from okoa.notifications.models import Notification, OutboundEmail, OutboundSms


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def notification(user, reference: str, *, created: float, read: float | None = None):
    """A notification to ``user`` created ``created`` days ago, read ``read`` days ago."""
    notify_users([user], event="referral_declined", reference=reference, path="/referrals/x/")
    item = Notification.objects.get(user=user, reference=reference)
    Notification.objects.filter(pk=item.pk).update(
        created_at=days_ago(created), read_at=None if read is None else days_ago(read)
    )
    return item


def prune() -> str:
    out = StringIO()
    call_command("prune_notifications", stdout=out)
    return out.getvalue()


def references(user) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("reference", flat=True))


def test_read_long_ago_and_old_unread_notifications_go(cast):
    user = cast.caseworker
    notification(user, "READ-91", created=200, read=91)
    notification(user, "READ-89", created=400, read=89)
    notification(user, "UNREAD-366", created=366)
    notification(user, "UNREAD-300", created=300)
    notification(user, "NEW", created=0)

    output = prune()

    assert references(user) == {"READ-89", "UNREAD-300", "NEW"}
    assert "Deleted 1 read and 1 unread notifications" in output


def test_the_navigation_still_counts_the_unread_ones_in_the_window(client, cast):
    user = cast.caseworker
    for number in range(3):
        notification(user, f"RECENT-{number}", created=number * 100)
    notification(user, "OLD", created=400)
    notification(user, "SEEN", created=10, read=5)
    client.force_login(user)

    prune()

    assert unread_count_for_user(user) == 3
    page = client.get("/").content.decode()
    assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in page
    assert references(user) == {"RECENT-0", "RECENT-1", "RECENT-2", "SEEN"}


def test_every_users_notifications_follow_the_same_rules(cast):
    notification(cast.caseworker, "OURS", created=120, read=100)
    notification(cast.partner_caseworker, "THEIRS", created=120, read=100)
    notification(cast.partner_caseworker, "THEIRS-NEW", created=1, read=1)

    prune()

    assert references(cast.caseworker) == set()
    assert references(cast.partner_caseworker) == {"THEIRS-NEW"}


@pytest.fixture
def queued(cast, desk):
    """Six notifications to the desk, each with its email and SMS (still queued)."""
    for number in range(6):
        notify_organisation(
            cast.partner, event="referral_received", reference=f"R{number}", path="/referrals/r/"
        )
    return cast


def age_messages(reference: str, *, status: str, created: float) -> None:
    for model in (OutboundEmail, OutboundSms):
        model.objects.filter(reference=reference).update(
            status=status,
            created_at=days_ago(created),
            sent_at=days_ago(created) if status == "sent" else None,
            next_attempt_at=days_ago(created) if status in ("queued", "sending") else None,
        )


def test_sent_and_failed_messages_go_after_a_month_queued_ones_stay(queued):
    age_messages("R0", status="sent", created=31)
    age_messages("R1", status="failed", created=31)
    age_messages("R2", status="sent", created=29)
    age_messages("R3", status="failed", created=29)
    age_messages("R4", status="queued", created=90)
    age_messages("R5", status="sending", created=90)

    output = prune()

    for model in (OutboundEmail, OutboundSms):
        kept = set(model.objects.values_list("reference", flat=True))
        assert kept == {"R2", "R3", "R4", "R5"}, model.__name__
    assert "2 emails and 2 SMS" in output


def test_deletes_go_in_batches_until_nothing_old_is_left(cast, monkeypatch):
    monkeypatch.setattr(actions, "PRUNE_BATCH_SIZE", 2)
    for number in range(5):
        notification(cast.caseworker, f"OLD-{number}", created=200, read=100)
    notification(cast.caseworker, "KEPT", created=10)

    summary = actions.prune_notifications()

    assert (summary.read, summary.unread) == (5, 0)
    assert references(cast.caseworker) == {"KEPT"}


def test_a_second_run_deletes_nothing(queued):
    notification(queued.caseworker, "OLD", created=200, read=100)
    age_messages("R0", status="sent", created=40)
    prune()
    left = (
        Notification.objects.count(),
        OutboundEmail.objects.count(),
        OutboundSms.objects.count(),
    )

    output = prune()

    assert "Deleted 0 read and 0 unread notifications, 0 emails and 0 SMS." in output
    assert (
        Notification.objects.count(),
        OutboundEmail.objects.count(),
        OutboundSms.objects.count(),
    ) == left
