"""Delete old notifications and the emails and SMS already sent or given up (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okoa.notifications.actions import (
    READ_NOTIFICATION_DAYS,
    SENT_MESSAGE_DAYS,
    UNREAD_NOTIFICATION_DAYS,
    prune_notifications,
)


class Command(BaseCommand):
    help = (
        f"Delete notifications read more than {READ_NOTIFICATION_DAYS} days ago, unread ones "
        f"older than {UNREAD_NOTIFICATION_DAYS} days, and notification emails and SMS sent or "
        f"failed more than {SENT_MESSAGE_DAYS} days ago (run daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = prune_notifications()
        self.stdout.write(
            f"Deleted {summary.read} read and {summary.unread} unread notifications, "
            f"{summary.emails} emails and {summary.sms} SMS."
        )
