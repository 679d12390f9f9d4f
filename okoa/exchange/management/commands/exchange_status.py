"""The ``exchange_status`` command: partners, the outbox and the inbox, without any body."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from okoa.exchange.identity import ExchangeNotConfigured, this_installation
from okoa.exchange.models import InboundMessage, OutboundMessage, Partner, RefusedMessage


def _time(value: Any) -> str | None:
    return value.isoformat() if value else None


def _id(value: Any) -> str | None:
    return str(value) if value else None


class Command(BaseCommand):
    """Print the state of the exchange: as text, or as JSON for scripts (--json)."""

    help = (
        "Show this installation's identity, its partners and their organisations, and the "
        "latest outbound, inbound and refused messages: ids, kinds, states and errors, never "
        "a body."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Take --json and --limit."""
        parser.add_argument("--json", action="store_true", help="Print JSON.")
        parser.add_argument(
            "--limit", type=int, default=50, help="Latest messages of each list (default 50)."
        )

    def handle(self, *args: Any, limit: int, **options: Any) -> None:
        """Print the state."""
        state = self.state(max(limit, 1))
        if options["json"]:
            self.stdout.write(json.dumps(state, indent=2))
            return
        self.stdout.write(f"This installation: {state['installation_id'] or 'no identity'}")
        for partner in state["partners"]:
            self.stdout.write(
                f"Partner {partner['name']} ({partner['installation_id']}), "
                f"{'active' if partner['is_active'] else 'inactive'}, "
                f"{len(partner['organisations'])} organisations, last pong "
                f"{partner['last_pong_at'] or 'never'}"
            )
        for message in state["outbound"]:
            self.stdout.write(
                f"out {message['message_id']} {message['kind']} {message['status']} "
                f"attempts={message['attempts']} {message['last_error']}".rstrip()
            )
        for message in state["inbound"]:
            self.stdout.write(
                f"in  {message['message_id']} {message['kind']} "
                f"processed={message['processed_at']} duplicates={message['duplicates']}"
            )
        for refusal in state["refused"]:
            self.stdout.write(
                f"refused {refusal['at']} {refusal['reason']} from {refusal['claimed_sender']}"
            )

    def state(self, limit: int) -> dict[str, Any]:
        try:
            installation_id = this_installation().installation_id
        except ExchangeNotConfigured:
            installation_id = None
        partners = [
            {
                "installation_id": partner.installation_id,
                "name": partner.name,
                "is_active": partner.is_active,
                "last_pong_at": _time(partner.last_pong_at),
                "organisations": [
                    {
                        "code": remote.remote_code,
                        "name": remote.name,
                        "kind": remote.kind,
                        "is_active": remote.is_active,
                        "stand_in": remote.organisation.code,
                    }
                    for remote in partner.organisations.select_related("organisation").order_by(
                        "remote_code"
                    )
                ],
            }
            for partner in Partner.objects.order_by("name")
        ]
        outbound = [
            {
                "message_id": str(message.message_id),
                "kind": message.kind,
                "partner": message.partner.installation_id,
                "status": message.status,
                "attempts": message.attempts,
                "last_error": message.last_error,
                "in_reply_to": _id(message.in_reply_to),
                "created_at": _time(message.created_at),
                "next_attempt_at": _time(message.next_attempt_at),
                "delivered_at": _time(message.delivered_at),
                "answered_at": _time(message.answered_at),
            }
            for message in OutboundMessage.objects.select_related("partner")
            .defer("body")
            .order_by("-created_at", "-id")[:limit]
        ]
        inbound = [
            {
                "message_id": str(message.message_id),
                "kind": message.kind,
                "partner": message.partner.installation_id,
                "in_reply_to": _id(message.in_reply_to),
                "received_at": _time(message.received_at),
                "processed_at": _time(message.processed_at),
                "duplicates": message.duplicates,
            }
            for message in InboundMessage.objects.select_related("partner").order_by(
                "-received_at", "-id"
            )[:limit]
        ]
        refused = [
            {
                "at": _time(refusal.at),
                "reason": refusal.reason,
                "claimed_sender": refusal.claimed_sender,
                "message_id": _id(refusal.message_id),
            }
            for refusal in RefusedMessage.objects.order_by("-at")[:limit]
        ]
        return {
            "installation_id": installation_id,
            "partners": partners,
            "outbound": outbound,
            "inbound": inbound,
            "refused": refused,
        }
