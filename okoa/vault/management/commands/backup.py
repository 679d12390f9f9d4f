"""The ``backup`` command: write an encrypted, consistent backup while Okoa runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from okoa.vault.backups import SUFFIX, BackupError, write_backup


class Command(BaseCommand):
    """Back the database up into one file sealed with OKOA_BACKUP_KEY."""

    help = (
        "Write an encrypted backup of the database (SQLite online backup, or pg_dump on "
        "PostgreSQL) while Okoa keeps running. The file appears only once it is complete."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the destination file or folder and the database alias."""
        parser.add_argument(
            "destination",
            type=Path,
            help=f"File to write, or a folder to write okoa-<UTC time>{SUFFIX} into.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Back up this database alias (default: 'default').",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Write the backup and say where it went and which key sealed it."""
        try:
            result = write_backup(options["destination"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("The backup could not be written: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(path)s (%(size)s bytes, backup key %(fingerprint)s).")
                % {
                    "path": result.path,
                    "size": result.size,
                    "fingerprint": result.header.key_fingerprint,
                }
            )
        )
