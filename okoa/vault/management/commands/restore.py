"""The ``restore`` command: bring an encrypted backup back into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from okoa.vault.backups import VENDOR_NAMES, BackupError, restore_backup


class Command(BaseCommand):
    """Restore a backup made by ``backup``, after checking the whole file."""

    help = (
        "Restore a backup made by 'manage.py backup'. The whole file is decrypted and checked "
        "before the database is touched; a truncated or tampered file is refused. Stop Okoa "
        "first. Needs OKOA_BACKUP_KEY and the data keys the backed-up database was written with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the backup file, the database alias, --force and --check."""
        parser.add_argument("source", type=Path, help="The backup file.")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="Restore into this database alias (default: 'default').",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of a database that already holds organisations.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Decrypt and check the whole backup, then stop: the database is not touched.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Restore, then say which data keys still need fixing before Okoa can start."""
        try:
            result = restore_backup(
                options["source"],
                using=options["database"],
                force=options["force"],
                check_only=options["check"],
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(
                _("The backup could not be read: %(error)s") % {"error": error}
            ) from error
        if options["check"]:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "The %(vendor)s backup made %(created_at)s is whole and opens with "
                        "OKOA_BACKUP_KEY. Nothing was restored."
                    )
                    % {
                        "vendor": VENDOR_NAMES[result.header.vendor],
                        "created_at": result.header.created_at,
                    }
                )
            )
            return
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if result.warnings:
            self.stderr.write(
                self.style.WARNING(
                    _(
                        "The restore is complete, but Okoa will refuse to start until the data "
                        "keys above are configured."
                    )
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Restored the %(vendor)s backup made %(created_at)s. Run 'manage.py migrate' "
                    "if this release of Okoa is newer than the one that made it."
                )
                % {
                    "vendor": VENDOR_NAMES[result.header.vendor],
                    "created_at": result.header.created_at,
                }
            )
        )
