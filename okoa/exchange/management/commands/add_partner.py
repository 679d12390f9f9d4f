"""The ``add_partner`` command: register another installation from its partner card."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from okoa.exchange.actions import add_partner
from okoa.exchange.identity import parse_card


class Command(BaseCommand):
    """Read a partner card (a file, or - for standard input) and register the partner."""

    help = (
        "Register a partner installation from the card its site administrator sent "
        "(manage.py partner_card on their side). Compare the fingerprint printed here with the "
        "one they read to you before any referral goes to them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the card, an optional local name and --replace."""
        parser.add_argument("card", help="The card file, or - to read it from standard input.")
        parser.add_argument("--name", default="", help="A local name instead of the card's.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Update a registered partner (new keys or address) from its new card.",
        )

    def handle(self, *args: Any, card: str, name: str, replace: bool, **options: Any) -> None:
        """Check the card, register the partner and print its fingerprint."""
        try:
            text = sys.stdin.read() if card == "-" else Path(card).read_text()
        except OSError as error:
            raise CommandError(f"The card cannot be read: {error}") from error
        try:
            parsed = parse_card(text, name=name)
            partner = add_partner(parsed, by=None, replace=replace)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Partner {partner.name} ({partner.installation_id}) registered. "
                f"Fingerprint: {parsed.fingerprint}"
            )
        )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
