"""The ``exchange_ping`` command: ask a partner installation to answer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from okoa.accounts.models import Organisation
from okoa.exchange.access import remote_of
from okoa.exchange.actions import ping
from okoa.exchange.models import Partner, RemoteOrganisation


class Command(BaseCommand):
    """Queue a ping (delivered right after); the pong shows in exchange_status."""

    help = (
        "Send a ping to a partner installation, between installations or from one of this "
        "installation's organisations to one of the partner's. The partner answers with a pong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take the partner and, optionally, the two organisations."""
        parser.add_argument("partner", help="The partner's installation id.")
        parser.add_argument(
            "--from-organisation",
            default="",
            help="A local organisation code (--from-organisation=CODE: a code may begin with -).",
        )
        parser.add_argument(
            "--to-organisation",
            default="",
            help="The partner's code of its organisation (--to-organisation=CODE).",
        )

    def handle(self, *args: Any, partner: str, **options: Any) -> None:
        """Queue the ping and print its message id."""
        found = Partner.objects.filter(installation_id=partner).first()
        if found is None:
            raise CommandError(f"No partner has the installation id {partner!r}.")
        sender = receiver = None
        if options["from_organisation"] or options["to_organisation"]:
            sender = Organisation.objects.filter(code=options["from_organisation"]).first()
            if sender is None or remote_of(sender) is not None:
                raise CommandError(
                    "--from-organisation names no organisation of this installation."
                )
            remote = RemoteOrganisation.objects.filter(
                partner=found, remote_code=options["to_organisation"]
            ).first()
            if remote is None:
                raise CommandError(
                    "--to-organisation names no organisation of this partner's directory."
                )
            receiver = remote.organisation
        try:
            message = ping(found, from_organisation=sender, to_organisation=receiver)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(message.message_id))
