"""Send each organisation with overdue referrals (sent or received) the day's counts.

Run it daily (cron or a systemd timer). Idempotent per day: running it again the same day sends
nothing new. Prints counts per organisation's reference prefix, never a name or a case.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from okoa.accounts.models import Organisation
from okoa.referrals.actions import send_referral_summaries


class Command(BaseCommand):
    help = "Notify each organisation of its overdue referrals (counts only), once a day."

    def handle(self, *args: Any, **options: Any) -> None:
        summaries = send_referral_summaries()
        prefixes = dict(
            Organisation.objects.filter(
                pk__in=[summary.organisation_id for summary in summaries]
            ).values_list("pk", "reference_prefix")
        )
        for summary in summaries:
            self.stdout.write(
                f"{prefixes[summary.organisation_id]}: {summary.overdue_received} overdue "
                f"received, {summary.overdue_sent} overdue sent."
            )
        self.stdout.write(f"{len(summaries)} summaries sent.")
