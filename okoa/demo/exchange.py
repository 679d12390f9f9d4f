"""Demo data of the exchange: a fictional partner installation and its directory.

The partner is registered from a card made here (its private keys are thrown away: it never
sends anything) and its organisations arrive the way a real directory does, so the demo has
stand-ins that referrals can address. Its address is a reserved ``.example`` name: anything
queued for it waits in the outbox, which the exchange page shows.
"""

from __future__ import annotations

import json

from okoa.exchange.actions import add_partner, apply_directory
from okoa.exchange.identity import build_identity, new_identity_values, parse_card

PARTNER_ID = "demo-pwani-partner"
PARTNER_NAME = "Pwani Coast Okoa (demo partner)"
ORGANISATIONS = (
    {"code": "demoPwaniDesk01", "name": "Kilifi Safe Passage Desk", "kind": "police"},
    {"code": "demoPwaniHome01", "name": "Malindi Tumaini Home", "kind": "shelter"},
    {"code": "demoPwaniNgo001", "name": "Watamu Freedom Network", "kind": "ngo"},
)


def load_exchange_demo() -> None:
    """Register the demo partner installation and take in its directory."""
    values = new_identity_values()
    identity = build_identity(
        PARTNER_ID, values["signing_key"], values["encryption_key"], "https://pwani.okoa.example"
    )
    partner = add_partner(parse_card(json.dumps(identity.card(name=PARTNER_NAME))), by=None)
    apply_directory(partner, {"organisations": list(ORGANISATIONS)})
