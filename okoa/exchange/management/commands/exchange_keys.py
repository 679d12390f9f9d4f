"""The ``exchange_keys`` command: make this installation's identity for the exchange."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from okoa.exchange.identity import INSTALLATION_ID, new_identity_values


class Command(BaseCommand):
    """Print a new installation id and key pairs as environment lines (stored nowhere)."""

    help = (
        "Make a new exchange identity: an installation id, an Ed25519 signing key and an X25519 "
        "encryption key, printed as OKOA_EXCHANGE_* lines for the environment or a secrets "
        "store. Nothing is stored: keep the private keys like OKOA_ENCRYPTION_KEYS. Replacing "
        "an identity in use means giving every partner the new card (partner_card)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take an optional readable installation id."""
        parser.add_argument(
            "--installation-id",
            default="",
            help="A readable id (3-64 letters, digits, '.', '_', '-'); a random UUID otherwise.",
        )

    def handle(self, *args: Any, installation_id: str, **options: Any) -> None:
        """Print the lines."""
        values = new_identity_values()
        if installation_id:
            if not INSTALLATION_ID.match(installation_id):
                raise CommandError(
                    "An installation id is 3 to 64 letters, digits, '.', '_' or '-'."
                )
            values["installation_id"] = installation_id
        self.stdout.write(
            f"# Okoa exchange identity made {timezone.now():%Y-%m-%d %H:%M %Z}. The two keys are "
            "secrets: whoever holds them\n# signs and reads messages as this installation.\n"
            f"OKOA_EXCHANGE_INSTALLATION_ID={values['installation_id']}\n"
            f"OKOA_EXCHANGE_SIGNING_KEY={values['signing_key']}\n"
            f"OKOA_EXCHANGE_ENCRYPTION_KEY={values['encryption_key']}\n"
        )
