"""Fixtures for the exchange: this installation's identity, a partner installation simulated in
the test (its own keys, registered from its card), a recording handler and a real HTTP server on
127.0.0.1 that plays the partner's inbox."""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from okoa.exchange import envelope, handlers
from okoa.exchange.actions import add_partner
from okoa.exchange.identity import (
    Identity,
    build_identity,
    new_identity_values,
    parse_card,
    signing_public_key,
    this_installation,
)
from okoa.exchange.models import Partner

TEST_KIND = "tests.record"
# The inbox's address in the API, and the old one kept for partners not yet upgraded: tests of
# the inbox run through both (``pytestmark = pytest.mark.parametrize("inbox_path", INBOX_PATHS)``).
INBOX_PATH = "/api/exchange/inbox"
INBOX_PATHS = (INBOX_PATH, "/exchange/inbox/")


def make_identity(installation_id: str, base_url: str = "http://127.0.0.1:9") -> Identity:
    values = new_identity_values()
    return build_identity(
        installation_id, values["signing_key"], values["encryption_key"], base_url
    )


@pytest.fixture(autouse=True)
def exchange_settings(settings):
    """This installation: a fixed identity; delivery in the committing thread."""
    values = new_identity_values()
    settings.OKOA_EXCHANGE_INSTALLATION_ID = "tumaini-test"
    settings.OKOA_EXCHANGE_SIGNING_KEY = values["signing_key"]
    settings.OKOA_EXCHANGE_ENCRYPTION_KEY = values["encryption_key"]
    settings.OKOA_EXCHANGE_BASE_URL = "http://127.0.0.1:9"
    settings.OKOA_EXCHANGE_SEND_IN_BACKGROUND = False
    settings.OKOA_EXCHANGE_TIMEOUT_SECONDS = 5
    return settings


@dataclass
class RemoteInstallation:
    """A partner installation played by the test: it seals and signs like a real one."""

    identity: Identity
    partner: Partner
    inbox_path: str = INBOX_PATH

    def seal(self, *, body: dict[str, Any] | None = None, **fields: Any) -> envelope.Envelope:
        """An envelope from this partner to us; keywords replace header values or keys."""
        me = this_installation()
        now = timezone.now()
        values: dict[str, Any] = {
            "message_id": uuid.uuid4(),
            "kind": TEST_KIND,
            "sender": self.identity.installation_id,
            "recipient": me.installation_id,
            "created_at": now,
            "sent_at": now,
            "signing_key": self.identity.signing_key,
            "recipient_key": me.encryption_key.public_key(),
        }
        values.update(fields)
        return envelope.seal(body=body if body is not None else {"note": "hello"}, **values)

    def post(self, sealed: envelope.Envelope | bytes, client: Client | None = None):
        data = sealed if isinstance(sealed, bytes) else sealed.to_json()
        return (client or Client()).post(self.inbox_path, data, content_type="application/json")

    def acknowledged(self, response, message_id: uuid.UUID) -> bool:
        """Whether ``response`` carries our installation's signed acknowledgement."""
        me = this_installation()
        return envelope.check_acknowledgement(
            response.json(),
            message_id,
            sender=self.identity.installation_id,
            recipient=me.installation_id,
            key=me.signing_key.public_key(),
        )


def register_remote(
    installation_id: str, name: str, inbox_path: str = INBOX_PATH
) -> RemoteInstallation:
    """Play a partner installation (posting to ``inbox_path``) and register it from its card."""
    identity = make_identity(installation_id, "http://127.0.0.1:9")
    card = parse_card(json.dumps(identity.card(name=name)))
    return RemoteInstallation(identity, add_partner(card, by=None), inbox_path)


@pytest.fixture
def inbox_path() -> str:
    """Where the partner played by the test posts; modules of inbox tests parametrize it."""
    return INBOX_PATH


@pytest.fixture
def remote(db, inbox_path) -> RemoteInstallation:
    """The partner "Pwani Safe Passage" (invented), registered from its card."""
    return register_remote("pwani-safe-passage", "Pwani Safe Passage", inbox_path)


@dataclass
class Recorder:
    """A handler for ``tests.record`` that remembers each call (and can be told to fail)."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    fail_with: BaseException | None = None
    before_failing: Callable[[], Any] | None = None

    def __call__(self, **arguments: Any) -> None:
        if self.before_failing is not None:
            self.before_failing()
        if self.fail_with is not None:
            raise self.fail_with
        self.calls.append(arguments)


@pytest.fixture
def recorder(monkeypatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setitem(handlers.HANDLERS, TEST_KIND, recorder)
    return recorder


@dataclass
class PartnerServer:
    """The partner's inbox on a real HTTP server: it checks, opens and acknowledges envelopes.

    ``answers`` scripts the next answers ("ack", "forged-ack", "redirect" or an HTTP status);
    once it is empty every envelope is acknowledged. ``received`` holds what arrived, opened.
    """

    identity: Identity
    url: str
    answers: list[Any] = field(default_factory=list)
    received: list[tuple[envelope.Header, dict[str, Any]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def partner_server(remote: RemoteInstallation) -> Iterator[PartnerServer]:
    me = this_installation()
    state = PartnerServer(identity=remote.identity, url="")

    class Inbox(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state.paths.append(self.path)
            data = self.rfile.read(int(self.headers["Content-Length"]))
            sealed = envelope.read(data)
            envelope.verify(sealed, signing_public_key(me.signing_public_key))
            body = envelope.open_body(sealed, state.identity.encryption_key)
            state.received.append((sealed.header, body))
            answer = state.answers.pop(0) if state.answers else "ack"
            if answer == "redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere/")
                self.end_headers()
                return
            status, reply = (
                200,
                envelope.acknowledgement(
                    sealed.header.message_id,
                    sender=me.installation_id,
                    recipient=state.identity.installation_id,
                    signing_key=state.identity.signing_key,
                ),
            )
            if answer == "forged-ack":
                reply = envelope.acknowledgement(
                    sealed.header.message_id,
                    sender=me.installation_id,
                    recipient=state.identity.installation_id,
                    signing_key=make_identity("someone-else").signing_key,
                )
            elif isinstance(answer, int):
                status, reply = answer, {"status": "error"}
            payload = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    Partner.objects.filter(pk=remote.partner.pk).update(base_url=state.url)
    remote.partner.refresh_from_db()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def minutes_ago(minutes: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)
