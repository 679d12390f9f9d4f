"""The ``partner_card`` command: print this installation's public card for a partner's admin."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from okoa.exchange.identity import check_base_url, this_installation


class Command(BaseCommand):
    """Print the partner card (JSON) on standard output and its fingerprint on standard error."""

    help = (
        "Print this installation's partner card: installation id, name, address and public "
        "keys. Send it to the partner's site administrator (it holds no secret) and read them "
        "the fingerprint over the phone, so they know the card is yours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the name partners will see, and the address if not OKOA_EXCHANGE_BASE_URL."""
        parser.add_argument("--name", required=True, help="This installation's name.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Where partners reach this installation (default: OKOA_EXCHANGE_BASE_URL).",
        )

    def handle(self, *args: Any, name: str, base_url: str, **options: Any) -> None:
        """Print the card."""
        try:
            identity = this_installation()
            address = check_base_url(base_url or settings.OKOA_EXCHANGE_BASE_URL or "")
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if not name.strip() or len(name) > 200:
            raise CommandError("--name must be 1 to 200 characters.")
        card = identity.card(name=name.strip())
        card["base_url"] = address
        self.stdout.write(json.dumps(card, indent=2))
        self.stderr.write(f"Fingerprint: {identity.fingerprint}")
