"""Tell both sides of each referral that has just passed its answer deadline, once.

Run it often (every 10 minutes: an urgent referral is due within hours). A referral is notified
only once, however often the command runs. Prints a count, never a name or a case.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okoa.referrals.actions import notify_overdue_referrals


class Command(BaseCommand):
    help = "Notify sender and receiver of each referral that has just become overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        count = notify_overdue_referrals()
        self.stdout.write(f"{count} overdue referrals notified.")
