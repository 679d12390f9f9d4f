"""Two real Okoa installations for the tests that need them: each is its own gunicorn server on
a free 127.0.0.1 port with its own SQLite database, data keys and exchange identity in its own
folder, driven through its management commands and its web pages the way its site
administrator and its staff would. The test's own database is not used: on the PostgreSQL run
of CI both installations still use SQLite files.

Used by ``test_exchange_between_two_installations.py`` (pings) and
``test_referral_between_two_installations.py`` (a referral's round trip).
"""

from __future__ import annotations

import base64
import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


def migrated_database(folder: Path) -> Path:
    """Migrate one empty database; each installation starts from its own copy of it (the same
    release has the same schema), which halves the slowest step of the test."""
    template = Installation("Template", "template", folder)
    folder.mkdir(parents=True)
    template.manage("migrate", "--no-input", "--verbosity", "0")
    return folder / "okoa.sqlite3"


def set_up(installation: Installation, template: Path, *, kind: str = "ngo") -> None:
    """Keys, database, one organisation (of ``kind``) and the partner card, as a site
    administrator would."""
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
        f"print(create_organisation(name={installation.name!r}, kind={kind!r}, "
        f"reference_prefix={installation.name[:3].upper()!r}).code)",
    ).split()[-1]
    card = installation.manage("partner_card", "--name", installation.name)
    (installation.folder / "card.json").write_text(card)


# Reading an installation's database and using its pages -----------------------------------------


def query(installation: Installation, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    """Rows of a read-only query on the installation's database (statuses, counts, codes: the
    encrypted columns are unreadable here, as they should be)."""
    uri = f"file:{installation.folder / 'okoa.sqlite3'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=10)) as database:
        return database.execute(sql, parameters).fetchall()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Page:
    status: int
    text: str
    location: str = ""

    def csrf_token(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, "the page has no form"
        return match.group(1)


class WebSession:
    """A member signed in to an installation's pages over HTTP, with cookies and the CSRF token,
    like a browser without JavaScript (redirects are returned, not followed)."""

    def __init__(self, installation: Installation) -> None:
        self.base_url = f"http://127.0.0.1:{installation.port}"
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirects
        )

    def _open(self, request: urllib.request.Request) -> Page:
        try:
            with self._opener.open(request, timeout=30) as response:
                return Page(response.status, response.read().decode())
        except urllib.error.HTTPError as error:
            return Page(error.code, error.read().decode(), error.headers.get("Location", ""))

    def get(self, path: str) -> Page:
        return self._open(urllib.request.Request(self.base_url + path))

    def post(self, path: str, data: dict[str, Any], *, form_path: str | None = None) -> Page:
        """Open the form's page (``form_path``, else ``path``) and post ``data`` with its token."""
        token = self.get(form_path or path).csrf_token()
        encoded = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        return self._open(urllib.request.Request(self.base_url + path, data=encoded.encode()))

    def sign_in(self, email: str, password: str) -> None:
        page = self.post("/accounts/login/", {"username": email, "password": password})
        assert page.status == 302, f"signing in failed ({page.status})"


# A relay in front of an installation's inbox ----------------------------------------------------


@dataclass
class Relay:
    """An HTTP relay on 127.0.0.1 in front of an installation: what a partner posts passes
    through it unchanged and is recorded (the request's bytes and the answer's status), so that
    a test holds a real copy of a message as it travelled. While the installation is down the
    relay drops the connection, as the installation itself would not answer."""

    target_port: int
    port: int = field(default_factory=free_port)
    posted: list[tuple[bytes, int]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        relay = self

        class Forward(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["Content-Length"]))
                request = urllib.request.Request(
                    f"http://127.0.0.1:{relay.target_port}{self.path}",
                    data=data,
                    headers={"Content-Type": self.headers["Content-Type"]},
                )
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        status, answer = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, answer = error.code, error.read()
                except OSError:
                    self.close_connection = True  # the installation is down: no answer at all
                    return
                relay.posted.append((data, status))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Forward)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if getattr(self, "_server", None) is not None:
            self._server.shutdown()
            self._server.server_close()


def post_envelope(installation: Installation, data: bytes) -> tuple[int, dict[str, Any]]:
    """Post raw envelope bytes straight to an installation's inbox; its status and JSON answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{installation.port}/api/exchange/inbox",
        data=data,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def envelope_kind(data: bytes) -> str:
    """The kind written in an envelope's clear header."""
    header = json.loads(data)["header"]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kind"]


def delivery_loop(installation: Installation) -> subprocess.Popen:
    """Start the installation's ``deliver_exchange_messages`` service (stop it with SIGTERM)."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "deliver_exchange_messages",
            "--interval",
            "0.3",
            "--skip-checks",
        ],
        cwd=ROOT,
        env=installation.environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_loop(loop: subprocess.Popen) -> int:
    loop.send_signal(signal.SIGTERM)
    try:
        return loop.wait(timeout=15)
    except subprocess.TimeoutExpired:
        loop.kill()
        loop.wait()
        return -1
