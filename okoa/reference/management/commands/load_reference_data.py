"""The ``load_reference_data`` command: reload the shipped reference data after a CSV change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okoa.reference.loading import load_reference_data


class Command(BaseCommand):
    """Upsert countries, counties, sub-counties and code lists from the shipped CSV files."""

    help = (
        "Load the reference data from okoa/reference/data (idempotent). Code-list items that "
        "are no longer in the CSV files are deactivated, never deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Accept an optional folder to read the CSV files from."""
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Read the CSV files from this folder instead of the shipped one.",
        )
        parser.add_argument(
            "--database",
            default="default",
            help="Load into this database alias (default: 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the loader and print how many rows of each kind it loaded."""
        counts = load_reference_data(data_dir=options["data_dir"], using=options["database"])
        for kind, count in counts.items():
            self.stdout.write(f"{kind.replace('_', ' ')}: {count}")
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
