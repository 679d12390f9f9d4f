"""The ``deliver_exchange_messages`` command: deliver the outbox to partner installations."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from okoa.exchange import actions
from okoa.exchange.delivery import deliver_due


class Command(BaseCommand):
    """Deliver what is due, once (--once, for cron) or every --interval seconds until stopped."""

    help = (
        "Deliver the messages waiting for partner installations: queued, failed and due again "
        "(1, 2, 4... minutes apart, at most six hours), or left by a stopped process. Safe to "
        "run from several places at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take --once, --interval and --retry-given-up."""
        parser.add_argument("--once", action="store_true", help="One pass, then stop.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between passes (default 10)."
        )
        parser.add_argument(
            "--retry-given-up",
            action="store_true",
            help="First queue again the messages whose delivery was given up.",
        )

    def handle(
        self, *args: Any, once: bool, interval: float, retry_given_up: bool, **options: Any
    ) -> None:
        """Deliver, and say how many went and how many failed."""
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        if retry_given_up:
            self.stdout.write(f"Queued again: {actions.retry_given_up()}.")
        stopping = False

        def stop(*_args: Any) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            summary = deliver_due()
            if once or summary.delivered or summary.failed:
                self.stdout.write(
                    f"Delivered: {summary.delivered}; failed (tried again later): "
                    f"{summary.failed}.",
                )
                self.stdout.flush()
            if once:
                return
            close_old_connections()
            waited = 0.0
            while waited < interval and not stopping:
                time.sleep(min(0.2, interval - waited))
                waited += 0.2
            if stopping:
                return
