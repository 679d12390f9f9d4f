"""The ``send_queued_sms`` command: send acknowledgement SMS that are waiting or failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from okoa.intake.channels.outbound import send_due_sms


class Command(BaseCommand):
    """Send every due SMS: queued, or failed and due to be tried again. Run it every minute."""

    help = (
        "Send the SMS that are waiting or whose last attempt failed (with a growing delay "
        "between attempts). Safe to run from several places at once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Send what is due and say how many went and how many failed."""
        summary = send_due_sms()
        self.stdout.write(
            _("SMS sent: %(sent)d; failed (tried again later or given up): %(failed)d.")
            % {"sent": summary.sent, "failed": summary.failed}
        )
