"""Issue a personal API token for a member of an organisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okoa.accounts.actions import issue_api_token
from okoa.accounts.models import Membership


class Command(BaseCommand):
    help = (
        "Issue a personal API token for EMAIL's membership of the organisation with "
        "REFERENCE_PREFIX. The secret is printed once, alone on standard output, and never "
        "stored: keep it in a password manager or a secrets store."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The member's sign-in email address.")
        parser.add_argument("organisation", help="The organisation's reference prefix (TUM).")
        parser.add_argument("name", help="What the token is for, e.g. 'reporting script'.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Make the token stop working after this many days (default: never).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.filter(
                user__email__iexact=options["email"].strip(),
                organisation__reference_prefix=options["organisation"].strip().upper(),
            )
            .select_related("user", "organisation")
            .first()
        )
        if membership is None:
            raise CommandError("No membership of that organisation for that email address.")
        if not (
            membership.is_active and membership.organisation.is_active and membership.user.is_active
        ):
            raise CommandError("That membership, user or organisation is inactive.")
        days = options["expires_in_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-in-days must be at least 1.")
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token, secret = issue_api_token(membership, name=options["name"], expires_at=expires_at)
        self.stderr.write(
            f"Issued token {token.prefix}… ({token.name}) for the {membership.get_role_display()} "
            f"membership at {membership.organisation.reference_prefix}"
            + (f", expiring {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "")
            + ". The secret below is shown only this once."
        )
        self.stdout.write(secret)
