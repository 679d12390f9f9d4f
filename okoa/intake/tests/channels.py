"""Fixtures of the channel tests: a fake Africa's Talking on loopback, the gateway's secret, a
real Dovecot IMAP server on loopback, and helpers that post callbacks as the gateway does.

Imported by ``conftest.py`` so that pytest finds the fixtures.
"""

from __future__ import annotations

import contextlib
import datetime
import imaplib
import ipaddress
import json
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

WEBHOOK_SECRET = "test-webhook-secret-" + "k" * 24
API_KEY = "atsk_test_0123456789abcdef"
PHONE = "+254712345678"


# Posting callbacks as the gateway does


@pytest.fixture
def routed(cast):
    """Every public channel's reports go to ``cast.ngo`` (reference prefix TUM)."""
    from okoa.intake.models import PUBLIC_CHANNELS, IntakeRoute

    for channel in PUBLIC_CHANNELS:
        IntakeRoute.objects.create(channel=channel, organisation=cast.ngo)
    return cast


@pytest.fixture
def gateway(settings):
    """The gateway's shared secret configured, no address allow-list, SMS through ``null``."""
    settings.OKOA_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.OKOA_WEBHOOK_ALLOWED_IPS = []
    settings.OKOA_SMS_GATEWAY = "null"
    # Sent in the test's own thread (a sender thread would not see the test's transaction).
    settings.OKOA_SMS_SEND_IN_BACKGROUND = False
    return settings


def post_ussd(
    client, text: str, *, session: str = "ATUid_5f1c0d", phone: str = PHONE, **extra: Any
):
    """One USSD step, as Africa's Talking posts it (secret in the header)."""
    data = {
        "sessionId": session,
        "serviceCode": "*384*1195#",
        "phoneNumber": phone,
        "text": text,
        "networkCode": "63902",
    }
    return client.post(
        "/webhooks/africastalking/ussd/", data, HTTP_X_OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET, **extra
    )


def post_sms(client, *, message_id: str = "ATXid_8a2b", text: str = "Msaada", **fields: str):
    """One inbound SMS, as Africa's Talking posts it (secret in the header)."""
    data = {
        "from": PHONE,
        "to": "21195",
        "text": text,
        "date": "2026-03-02 09:15:00",
        "id": message_id,
        "linkId": "SampleLinkId123",
        "networkCode": "63902",
        **fields,
    }
    return client.post(
        "/webhooks/africastalking/sms/", data, HTTP_X_OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET
    )


def screen(response) -> str:
    """The text of a USSD answer, which must be plain text."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


# A fake Africa's Talking messaging API on 127.0.0.1


@dataclass
class FakeAfricasTalking:
    """Answers ``POST /version1/messaging`` like Africa's Talking (``mode`` chooses how)."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    # "accept", "http_error" (500), "insufficient_balance" (405), "invalid_number" (403).
    mode: str = "accept"
    # HTTP/1.1 with connections kept open, as Africa's Talking's API; "drop" keeps saying so
    # but closes each connection once it has answered (as a gateway closing idle connections).
    connections: str = "close"
    opened: int = 0

    @property
    def messages(self) -> list[str]:
        return [request["form"]["message"][0] for request in self.requests]


def _handler(fake: FakeAfricasTalking) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def setup(self) -> None:
            fake.opened += 1
            self.protocol_version = "HTTP/1.0" if fake.connections == "close" else "HTTP/1.1"
            super().setup()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet tests

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = parse_qs(self.rfile.read(length).decode())
            fake.requests.append(
                {
                    "path": self.path,
                    # Header names are case-insensitive: kept in lower case.
                    "headers": {name.lower(): value for name, value in self.headers.items()},
                    "form": form,
                }
            )
            if self.path != "/version1/messaging" or self.headers.get("apiKey") != API_KEY:
                return self._answer(401, {"error": "The supplied authentication is invalid"})
            if fake.mode == "http_error":
                return self._answer(500, {"error": "Internal Server Error"})
            codes = {
                "accept": (101, "Success"),
                "insufficient_balance": (405, "InsufficientBalance"),
                "invalid_number": (403, "InvalidPhoneNumber"),
            }
            code, status = codes[fake.mode]
            numbers = form["to"][0].split(",")
            recipients = [
                {
                    "statusCode": code,
                    "number": number,
                    "status": status,
                    "cost": "KES 0.8000" if code == 101 else "0",
                    "messageId": f"ATXid_{len(fake.requests)}_{index}" if code == 101 else "None",
                }
                for index, number in enumerate(numbers)
            ]
            sent = sum(1 for recipient in recipients if recipient["statusCode"] == 101)
            message = f"Sent to {sent}/{len(numbers)} Total Cost: KES {0.8 * sent:.4f}"
            self._answer(201, {"SMSMessageData": {"Message": message, "Recipients": recipients}})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            if fake.connections == "drop":
                self.close_connection = True  # without saying so in the answer

    return Handler


@pytest.fixture
def africastalking(settings) -> Iterator[FakeAfricasTalking]:
    """A fake Africa's Talking on 127.0.0.1 (a real HTTP server), and Okoa pointed at it."""
    fake = FakeAfricasTalking()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.OKOA_SMS_GATEWAY = "africastalking"
    settings.OKOA_SMS_API_URL = fake.url
    settings.OKOA_SMS_USERNAME = "okoa-test"
    settings.OKOA_SMS_API_KEY = API_KEY
    settings.OKOA_SMS_SEND_IN_BACKGROUND = False
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


# A real Dovecot IMAP server on 127.0.0.1


def _dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot",) if os.access(path, os.X_OK)), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Dovecot:
    """A running Dovecot: where it listens, its test account and its CA certificate."""

    port: int
    user: str
    password: str
    ca_file: str

    def connect(self) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=self.ca_file)
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def deliver(self, folder: str, message: EmailMessage) -> None:
        """Put a message into ``folder`` (created if needed) by IMAP APPEND, unread."""
        imap = self.connect()
        try:
            imap.create(f'"{folder}"')  # "already exists" is fine
            typ, data = imap.append(f'"{folder}"', "", None, message.as_bytes())
            assert typ == "OK", data
        finally:
            imap.logout()

    def flags(self, folder: str) -> list[bytes]:
        """The flags of every message in ``folder``."""
        imap = self.connect()
        try:
            imap.select(f'"{folder}"', readonly=True)
            _typ, data = imap.fetch("1:*", "(FLAGS)")
            return [item for item in data if isinstance(item, bytes)]
        finally:
            imap.logout()


def _dovecot_config(directory: Path, port: int, cert: Path, key: Path, mail_user: str) -> str:
    return f"""
base_dir = {directory}/run
state_dir = {directory}/state
log_path = {directory}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain
default_internal_user = {mail_user}
default_internal_group = {mail_user}
default_login_user = {mail_user}
first_valid_uid = 0
mail_location = maildir:{directory}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {directory}/users
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={directory}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
"""


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """Start Dovecot on 127.0.0.1 (TLS only, its own configuration, a throw-away maildir)."""
    binary = _dovecot_binary()
    if binary is None:
        pytest.skip("Dovecot is not installed (`make test` installs dovecot-imapd).")
    directory = Path(tempfile.mkdtemp(prefix="okoa-dovecot-"))
    directory.chmod(0o755)  # Dovecot's own users must reach the maildir and sockets
    # As root, Dovecot's processes run as its own unprivileged user; otherwise as ourselves.
    mail_user = "dovecot" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    for name in ("run", "state", "mail"):
        (directory / name).mkdir()
    shutil.chown(directory / "mail", mail_user, mail_user)
    cert, key = _self_signed_certificate(directory)
    user, password = "intake@tumaini.test", "imap-test-password-8841"
    (directory / "users").write_text(f"{user}:{{PLAIN}}{password}\n")
    port = _free_port()
    config = directory / "dovecot.conf"
    config.write_text(_dovecot_config(directory, port, cert, key, mail_user))
    process = subprocess.Popen(
        [binary, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                log = (
                    (directory / "dovecot.log").read_text()
                    if (directory / "dovecot.log").exists()
                    else ""
                )
                stderr = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"Dovecot did not start:\n{stderr}\n{log}")
            time.sleep(0.05)
        yield Dovecot(port=port, user=user, password=password, ca_file=str(cert))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)
