"""The ``exchange_directory`` command: send this installation's organisations to partners."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okoa.exchange.actions import publish_directory
from okoa.exchange.models import Partner


class Command(BaseCommand):
    """Queue the directory (codes, names and kinds of the organisations) for partners."""

    help = (
        "Send this installation's directory (each active organisation's code, name and kind: "
        "nothing about anybody) to every active partner, or to one. Run it after adding a "
        "partner and whenever organisations change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take an optional partner installation id."""
        parser.add_argument("--partner", default="", help="Only this partner's installation id.")

    def handle(self, *args: Any, partner: str, **options: Any) -> None:
        """Queue one directory message per partner (delivered right after)."""
        partners = Partner.objects.filter(is_active=True)
        if partner:
            partners = partners.filter(installation_id=partner)
            if not partners.exists():
                raise CommandError(f"No active partner has the installation id {partner!r}.")
        for each in partners:
            message = publish_directory(each)
            self.stdout.write(f"Directory queued for {each.name}: message {message.message_id}.")
