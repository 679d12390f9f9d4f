"""Send the notification emails and SMS that are due: queued, failed and due again, or left."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okoa.notifications.delivery import send_due


class Command(BaseCommand):
    help = (
        "Send notification emails and SMS that are due (run every minute): what a stopped "
        "process left queued, and failures due for another try."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_due()
        self.stdout.write(f"Sent {summary.sent}, failed {summary.failed}.")
