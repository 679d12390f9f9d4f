"""Two real Okoa installations exchange messages over HTTP, and nothing is lost or doubled when
the receiving one is down for a while.

Each installation is its own set of processes: a gunicorn server on a free 127.0.0.1 port, its
own SQLite database, data keys and exchange identity in its own folder, driven through its
management commands (``exchange_keys``, ``partner_card``, ``add_partner``,
``exchange_directory``, ``exchange_ping``, ``deliver_exchange_messages``, ``exchange_status``),
the way two site administrators would. The test's own database is not used: on the PostgreSQL
run of CI both installations still use SQLite files.

The round trip: the installations register each other from their cards and exchange their
directories; the NGO's installation (A) pings the partner's (B) from one organisation to
another and B answers with a pong; B stops; A pings again, delivery fails and is kept; B
starts again and A's delivery loop delivers the ping; B processes every message exactly once
and A has every message marked delivered and answered.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.two_installations import (
    ROOT,
    Installation,
    migrated_database,
    on_both,
    outbound,
    set_up,
    wait_for,
)


@pytest.fixture
def installations() -> Iterator[tuple[Installation, Installation]]:
    with tempfile.TemporaryDirectory(prefix="okoa-exchange-") as folder:
        ngo = Installation("Tumaini Haven Trust", "tumaini-haven", Path(folder) / "a")
        partner = Installation("Pwani Safe Passage", "pwani-safe-passage", Path(folder) / "b")
        try:
            yield ngo, partner
        finally:
            on_both(Installation.stop, ngo, partner)


def test_two_installations_exchange_messages_and_survive_a_receiver_outage(installations):
    ngo, partner = installations
    template = migrated_database(ngo.folder.parent / "template")
    on_both(lambda installation: set_up(installation, template), ngo, partner)
    ngo.manage("add_partner", str(partner.folder / "card.json"))
    partner.manage("add_partner", str(ngo.folder / "card.json"))
    on_both(Installation.start, ngo, partner)

    # The directories: each installation learns the other's organisation as a stand-in.
    on_both(lambda installation: installation.manage("exchange_directory"), ngo, partner)
    [known_at_ngo] = ngo.status()["partners"]
    assert [each["code"] for each in known_at_ngo["organisations"]] == [partner.organisation_code]
    [known_at_partner] = partner.status()["partners"]
    assert [each["code"] for each in known_at_partner["organisations"]] == [ngo.organisation_code]

    # A ping from the NGO's organisation to the partner's; the pong comes back.
    first_ping = ngo.manage(
        "exchange_ping",
        partner.installation_id,
        # "--option=value": an organisation's code may begin with "-" (token_urlsafe).
        f"--from-organisation={ngo.organisation_code}",
        f"--to-organisation={partner.organisation_code}",
    ).strip()
    wait_for(
        lambda: outbound(ngo.status(), first_ping)["answered_at"], "the answer to the first ping"
    )

    # The partner goes down; the second ping cannot be delivered and is kept.
    partner.stop()
    second_ping = ngo.manage("exchange_ping", partner.installation_id).strip()
    failed = outbound(ngo.status(), second_ping)
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert failed["last_error"].startswith("unreachable")

    # Tried again later (the retry delay is half a second here): still down, still kept.
    def tried_again() -> bool:
        ngo.manage("deliver_exchange_messages", "--once")
        return outbound(ngo.status(), second_ping)["attempts"] >= 2

    wait_for(tried_again, "a second delivery attempt")
    assert outbound(ngo.status(), second_ping)["status"] == "failed"

    # The partner comes back; the NGO's delivery loop delivers what waited.
    partner.start()
    loop = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "deliver_exchange_messages",
            "--interval",
            "0.3",
            "--skip-checks",
        ],
        cwd=ROOT,
        env=ngo.environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(
            lambda: outbound(ngo.status(), second_ping)["answered_at"],
            "the answer to the second ping",
        )
    finally:
        loop.send_signal(signal.SIGTERM)
        assert loop.wait(timeout=15) == 0

    at_ngo, at_partner = ngo.status(), partner.status()
    # The partner processed each message of the NGO exactly once.
    received = [message["message_id"] for message in at_partner["inbound"]]
    assert len(received) == len(set(received)) == 3
    sent = {message["message_id"]: message for message in at_ngo["outbound"]}
    assert set(received) == set(sent)
    assert {message["kind"] for message in at_partner["inbound"]} == {
        "exchange.organisations",
        "exchange.ping",
    }
    # One pong for each ping, no more: processing twice would have queued two.
    pongs = [m for m in at_partner["outbound"] if m["kind"] == "exchange.pong"]
    assert sorted(pong["in_reply_to"] for pong in pongs) == sorted([first_ping, second_ping])
    assert all(pong["status"] == "delivered" for pong in pongs)
    # The NGO has everything delivered, and both pings answered.
    assert all(message["status"] == "delivered" for message in sent.values())
    assert sent[second_ping]["attempts"] >= 3 and sent[second_ping]["last_error"] == ""
    assert sent[first_ping]["answered_at"] and sent[second_ping]["answered_at"]
    received_at_ngo = [message["message_id"] for message in at_ngo["inbound"]]
    assert len(received_at_ngo) == len(set(received_at_ngo)) == 3
    # Nothing was refused on either side.
    assert at_ngo["refused"] == [] and at_partner["refused"] == []
