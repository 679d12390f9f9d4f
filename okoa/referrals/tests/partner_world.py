"""A partner installation played by the referral tests: its own keys, registered here from its
card, with its organisation known here as a stand-in (through the real directory message).

The partner seals and signs its messages like a real installation and posts them to this
installation's inbox (``/api/exchange/inbox``), so each test goes through the whole transport:
signature, deduplication, the handler and its transaction. What this installation sends to the
partner stays in the outbox (tests do not run ``on_commit``); ``sent()`` reads it back.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from okoa.accounts.models import Organisation
from okoa.exchange.actions import apply_directory
from okoa.exchange.identity import new_identity_values
from okoa.exchange.models import OutboundMessage
from okoa.exchange.tests.conftest import RemoteInstallation, register_remote

PARTNER_ID = "usalama-secretariat"
PARTNER_NAME = "Usalama Coordination Secretariat"
DESK_CODE = "usalamaDesk0001"
DESK_NAME = "Usalama Referral Desk"


def use_test_identity(settings: Any) -> None:
    """This installation: a fixed identity; delivery left to the outbox."""
    values = new_identity_values()
    settings.OKOA_EXCHANGE_INSTALLATION_ID = "tumaini-test"
    settings.OKOA_EXCHANGE_SIGNING_KEY = values["signing_key"]
    settings.OKOA_EXCHANGE_ENCRYPTION_KEY = values["encryption_key"]
    settings.OKOA_EXCHANGE_BASE_URL = "http://127.0.0.1:9"
    settings.OKOA_EXCHANGE_SEND_IN_BACKGROUND = False


@dataclass
class PartnerWorld:
    """The partner installation and its organisation's stand-in here."""

    installation: RemoteInstallation
    desk: Organisation  # the stand-in of the partner's referral desk

    @property
    def partner(self):
        return self.installation.partner

    def post(
        self,
        kind: str,
        body: dict[str, Any],
        *,
        to: Organisation,
        in_reply_to: uuid.UUID | None = None,
        message_id: uuid.UUID | None = None,
        from_code: str = DESK_CODE,
    ):
        """Post a message from the partner's desk to the local organisation ``to``."""
        sealed = self.installation.seal(
            kind=kind,
            body=body,
            from_organisation=from_code,
            to_organisation=to.code,
            in_reply_to=in_reply_to,
            message_id=message_id or uuid.uuid4(),
        )
        return self.installation.post(sealed)

    def seal(self, kind: str, body: dict[str, Any], *, to: Organisation, **fields: Any):
        return self.installation.seal(
            kind=kind, body=body, from_organisation=DESK_CODE, to_organisation=to.code, **fields
        )

    def sent(self, kind: str) -> list[OutboundMessage]:
        """What this installation queued for the partner, of ``kind``, oldest first."""
        return list(OutboundMessage.objects.filter(partner=self.partner, kind=kind).order_by("id"))


def build_partner_world(settings: Any) -> PartnerWorld:
    use_test_identity(settings)
    installation = register_remote(PARTNER_ID, PARTNER_NAME)
    [desk] = apply_directory(
        installation.partner,
        {"organisations": [{"code": DESK_CODE, "name": DESK_NAME, "kind": "ctip_secretariat"}]},
    )
    return PartnerWorld(installation=installation, desk=desk.organisation)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def referral_body(sender_code: str = "pwaniReferral01", **changes: Any) -> dict[str, Any]:
    """A ``referral.sent`` body as the partner's installation writes it (invented survivor)."""
    now = timezone.now()
    body: dict[str, Any] = {
        "referral": sender_code,
        "urgency": "urgent",
        "service_kind": "shelter",
        "sent_at": utc(now),
        "respond_by": utc(now + datetime.timedelta(hours=2)),
        "sections": ["basic", "contact"],
        "shared": {
            "version": 1,
            "taken_on": now.date().isoformat(),
            "basic": {
                "given_name": "Halima",
                "sex": "female",
                "age": 19,
                "age_is_estimated": False,
                "nationality": "Kenya",
                "county": "Kilifi",
            },
            "contact": {"phone_numbers": ["0700 000 177"], "languages": ["sw"]},
        },
        "reason_note": "Needs a safe bed tonight; she left the house where she worked.",
    }
    body.update(changes)
    return body
