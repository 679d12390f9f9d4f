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

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMAND_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment() -> dict[str, str]:
    """The test runner's environment without anything that would point at its database or
    keys: each installation starts in development mode with only what it is given."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OKOA_", "DB_", "DATABASE_", "PG"))
        and name not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }


@dataclass
class Installation:
    name: str
    installation_id: str
    folder: Path
    port: int = field(default_factory=free_port)
    environment: dict[str, str] = field(default_factory=clean_environment)
    server: subprocess.Popen | None = None
    organisation_code: str = ""

    def __post_init__(self) -> None:
        self.environment.update(
            {
                "OKOA_VAR_DIR": str(self.folder),
                "DATABASE_URL": f"sqlite:///{self.folder / 'okoa.sqlite3'}",
                "OKOA_EXCHANGE_BASE_URL": f"http://127.0.0.1:{self.port}",
                # Quick retries, so that "later" comes within the test.
                "OKOA_EXCHANGE_RETRY_BASE_SECONDS": "0.5",
                "OKOA_EXCHANGE_TIMEOUT_SECONDS": "5",
                "OKOA_SMS_GATEWAY": "none",
                "DEBUG": "false",
                "PYTHONUNBUFFERED": "1",
            }
        )

    def manage(self, *arguments: str) -> str:
        """Run a management command of this installation; return its standard output."""
        # The system checks run once, with the migration: not again for every command.
        skip = [] if arguments[0] in {"migrate", "shell"} else ["--skip-checks"]
        finished = subprocess.run(
            [sys.executable, "manage.py", *arguments, *skip],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
        assert finished.returncode == 0, (
            f"{self.name}: manage.py {arguments[0]} failed:\n{finished.stderr[-3000:]}"
        )
        return finished.stdout

    def status(self) -> dict[str, Any]:
        return json.loads(self.manage("exchange_status", "--json", "--limit", "100"))

    def start(self) -> None:
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "okoa.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, f"{self.name}'s server to start")

    def _answers(self) -> bool:
        assert self.server is not None and self.server.poll() is None, f"{self.name} died"
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        self.server = None


def wait_for(condition: Callable[[], Any], what: str, timeout: float = 45) -> Any:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"Timed out waiting for {what}.")


def on_both(action: Callable[[Installation], Any], *installations: Installation) -> list[Any]:
    """Do the same thing on both installations at once (they are separate processes)."""
    with ThreadPoolExecutor(max_workers=len(installations)) as pool:
        return list(pool.map(action, installations))


def outbound(status: dict[str, Any], message_id: str) -> dict[str, Any]:
    [message] = [each for each in status["outbound"] if each["message_id"] == message_id]
    return message


@pytest.fixture
def installations() -> Iterator[tuple[Installation, Installation]]:
    with tempfile.TemporaryDirectory(prefix="okoa-exchange-") as folder:
        ngo = Installation("Tumaini Haven Trust", "tumaini-haven", Path(folder) / "a")
        partner = Installation("Pwani Safe Passage", "pwani-safe-passage", Path(folder) / "b")
        try:
            yield ngo, partner
        finally:
            on_both(Installation.stop, ngo, partner)


def migrated_database(folder: Path) -> Path:
    """Migrate one empty database; each installation starts from its own copy of it (the same
    release has the same schema), which halves the slowest step of the test."""
    template = Installation("Template", "template", folder)
    folder.mkdir(parents=True)
    template.manage("migrate", "--no-input", "--verbosity", "0")
    return folder / "okoa.sqlite3"


def set_up(installation: Installation, template: Path) -> None:
    """Keys, database, one organisation and the partner card, as a site administrator would."""
    installation.folder.mkdir(parents=True)
    # SQLite's backup API: a consistent copy whatever the template's journal holds.
    with (
        closing(sqlite3.connect(template)) as source,
        closing(sqlite3.connect(installation.folder / "okoa.sqlite3")) as copy,
    ):
        source.backup(copy)
    for line in installation.manage(
        "exchange_keys", "--installation-id", installation.installation_id
    ).splitlines():
        if line.startswith("OKOA_EXCHANGE_"):
            name, value = line.split("=", 1)
            installation.environment[name] = value
    installation.organisation_code = installation.manage(
        "shell",
        "--command",
        "from okoa.accounts.actions import create_organisation; "
        f"print(create_organisation(name={installation.name!r}, kind='ngo', "
        f"reference_prefix={installation.name[:3].upper()!r}).code)",
    ).split()[-1]
    card = installation.manage("partner_card", "--name", installation.name)
    (installation.folder / "card.json").write_text(card)


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
        "--from-organisation",
        ngo.organisation_code,
        "--to-organisation",
        partner.organisation_code,
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
