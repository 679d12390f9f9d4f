"""The ``fetch_intake_email`` command: turn the intake mailbox's new messages into reports."""

from __future__ import annotations

import imaplib
import ssl
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from okoa.intake.channels.email import fetch_intake_email


class Command(BaseCommand):
    """Import the unread messages of the intake mailbox (IMAP over TLS). Run it every few
    minutes; a message is never imported twice."""

    help = (
        "Read the unread messages of OKOA_INTAKE_IMAP_FOLDER over TLS and record each one as a "
        "report, with its allowed attachments encrypted; mark it read once saved."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Import, then say how many messages were imported, known already, or failed."""
        try:
            summary = fetch_intake_email()
        except (imaplib.IMAP4.error, ssl.SSLError, OSError) as error:
            raise CommandError(
                _("The intake mailbox cannot be read: %(error)s") % {"error": error}
            ) from error
        self.stdout.write(
            _(
                "Emails imported: %(imported)d; imported before: %(before)d; "
                "failed (kept unread): %(failed)d."
            )
            % {
                "imported": summary.imported,
                "before": summary.already_imported,
                "failed": summary.failed,
            }
        )
        if summary.failed:
            raise CommandError(_("Some emails could not be imported: see the log."))
