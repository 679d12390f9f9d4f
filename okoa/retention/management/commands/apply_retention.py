"""Erase the identities, and wipe the reports without a case, that organisations' retention
periods no longer cover.

Safe to run daily (and again after an interruption): each person and each report is erased in a
transaction of its own, and what was erased is skipped. Prints counts per organisation, never
names.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okoa.accounts.models import Organisation
from okoa.retention.actions import erase_person_data, wipe_caseless_report, wipe_unreported_call
from okoa.retention.models import Erasure, RetentionPolicy

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Erase the identities of people whose cases are all closed and whose last case closed "
        "longer ago than their organisation's retention period; wipe the reports that finished "
        "without a case (and the hotline calls that never became a report) longer ago than its "
        "report retention period."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be erased; change nothing."
        )
        parser.add_argument(
            "--organisation",
            metavar="PREFIX",
            help="Only the organisation with this case reference prefix (for example TUM).",
        )

    def handle(
        self, *args: Any, dry_run: bool = False, organisation: str | None = None, **options: Any
    ) -> None:
        policies = RetentionPolicy.objects.select_related("organisation").order_by(
            "organisation__reference_prefix"
        )
        if organisation:
            prefix = organisation.strip().upper()
            if not Organisation.objects.filter(reference_prefix=prefix).exists():
                raise CommandError(f"No organisation has the reference prefix {prefix}.")
            policies = policies.filter(organisation__reference_prefix=prefix)
            if not policies.exists():
                self.stdout.write(f"{prefix}: no retention period set; nothing erased.")
                return
        now = timezone.now()
        failures = 0
        for policy in policies:
            failures += self._erase_people(policy, now=now, dry_run=dry_run)
            failures += self._wipe_reports(policy, now=now, dry_run=dry_run)
        if failures:
            raise CommandError(f"{failures} people or reports could not be erased; see the log.")

    def _erase_people(
        self, policy: RetentionPolicy, *, now: datetime.datetime, dry_run: bool
    ) -> int:
        prefix = policy.organisation.reference_prefix
        days = policy.closed_case_retention_days
        if days is None:
            self.stdout.write(f"{prefix}: no retention period set for identities; nobody erased.")
            return 0
        due = policy.people_due_for_erasure(now)
        if dry_run:
            self.stdout.write(f"{prefix}: {len(due)} people would be erased (kept {days} days).")
            return 0
        erased = failures = 0
        for person in due:
            try:
                if erase_person_data(person, by=None, reason_code=Erasure.Reason.RETENTION):
                    erased += 1
            except Exception:
                # The person's erasure rolled back as a whole; the next run tries again.
                failures += 1
                logger.exception("Retention could not erase person %s", person.code)
        line = f"{prefix}: {erased} people erased (kept {days} days)."
        if failures:
            line += f" {failures} failed."
        self.stdout.write(line)
        return failures

    def _wipe_reports(
        self, policy: RetentionPolicy, *, now: datetime.datetime, dry_run: bool
    ) -> int:
        prefix = policy.organisation.reference_prefix
        days = policy.caseless_report_retention_days
        cutoff = policy.report_cutoff(now)
        if days is None or cutoff is None:
            self.stdout.write(f"{prefix}: no retention period set for reports without a case.")
            return 0
        reports = list(policy.reports_due_for_wiping(now))
        calls = list(policy.calls_due_for_wiping(now))
        if dry_run:
            self.stdout.write(
                f"{prefix}: {len(reports)} reports without a case and {len(calls)} calls without "
                f"a report would be wiped (kept {days} days)."
            )
            return 0
        wiped_reports = wiped_calls = failures = 0
        for report in reports:
            try:
                if wipe_caseless_report(report, cutoff=cutoff, by=None):
                    wiped_reports += 1
            except Exception:
                # The report's wipe rolled back as a whole; the next run tries again.
                failures += 1
                logger.exception("Retention could not wipe report %s", report.code)
        for call in calls:
            try:
                if wipe_unreported_call(call, cutoff=cutoff, by=None):
                    wiped_calls += 1
            except Exception:
                failures += 1
                logger.exception("Retention could not wipe hotline call %s", call.code)
        line = (
            f"{prefix}: {wiped_reports} reports without a case and {wiped_calls} calls without "
            f"a report wiped (kept {days} days)."
        )
        if failures:
            line += f" {failures} failed."
        self.stdout.write(line)
        return failures
