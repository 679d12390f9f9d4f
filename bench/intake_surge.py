"""Intake surge: the public report form and the SMS webhook together, under sustained load.

    uv run python bench/intake_surge.py                       # SQLite (WAL), 60 s
    uv run python bench/intake_surge.py --database postgres   # a throw-away PostgreSQL

As after a media appeal or a mass rescue. Starts a production-style server (gunicorn, several
worker processes, production settings: ``SECRET_KEY`` set, ``DEBUG`` off, real password hashers)
on 127.0.0.1 against a fresh, migrated database with an intake route for the web form and SMS,
and a fake Africa's Talking messaging API (in this process) that the acknowledgement SMS go to.
Then a load generator (Python asyncio, raw HTTP/1.1 keep-alive connections, in this process)
sends, for ``--duration`` seconds:

* the public form (``POST /report/``): each connection first GETs the form for its CSRF cookie
  and token; each report has its own submission id and phone number, the honeypot empty;
* the SMS webhook (``POST /webhooks/africastalking/sms/``): unique gateway ids, the shared
  secret in the header, each answered only after the report and its acknowledgement SMS are
  committed (and the SMS handed to the fake gateway).

By default the generator is closed-loop (``--connections`` requests in flight at all times:
the highest rate the server sustains); ``--rate N`` makes it open-loop (N requests a second on
a fixed schedule, latency measured from the scheduled time, so a slow server cannot hide its
queue). A report is *accepted* when its answer says so: the form's page with a reference, the
webhook's 200. Afterwards every accepted reference and SMS id must be in the database exactly
once, every accepted SMS report must have had exactly one acknowledgement, and it must carry
that report's reference.

The per-address limit on public reports (20 an hour) is raised for the run
(``OKOA_INTAKE_REPORTS_PER_ADDRESS``): every request comes from 127.0.0.1. The limits are still
counted in the database on every report, as in production. Writes bench/out/intake_surge-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from environment import OUT_DIR, REPO_DIR, core_speed_ms, machine, percentiles, write_result

WEBHOOK_SECRET = "bench-webhook-secret-" + "s" * 24
API_KEY = "atsk_bench_0123456789"
PREFIX = "SRG"
REFERENCE = re.compile(rf"{PREFIX}-R-\d{{4}}-\d{{6}}")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NARRATIVES = [
    "My sister works in a house in Riyadh and has not been paid for eight months.",
    "Thirty of us were brought to a compound near the border and our phones were taken.",
    "Dada yangu amefungiwa na mwajiri wake Dubai, hawezi kutoka nje. Tafadhali msaada.",
    "My son was promised a job in a shop; now they make him work at night and beat him.",
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--warm-up", type=float, default=5.0, help="seconds, not counted")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default="sync",
        help="sync: one request at a time per process, so the kernel spreads connections over "
        "all workers (gthread keeps a keep-alive connection on the worker that accepted it)",
    )
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument("--rate", type=float, default=0.0, help="open-loop rate; 0 = closed")
    parser.add_argument("--sms-share", type=float, default=0.5, help="share of SMS webhooks")
    parser.add_argument("--port", type=int, default=0, help="server port (0: any free one)")
    parser.add_argument("--postgres-port", type=int, default=54330)
    parser.add_argument(
        "--statements",
        action="store_true",
        help="PostgreSQL: also write pg_stat_statements' top statements to bench/out",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--output", default="", help="name of the JSON file in bench/out")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The database


@dataclass
class Database:
    url: str
    stop: list[object] = field(default_factory=list)
    # The server process of a client-server database (its CPU time is counted).
    pid_file: Path | None = None

    def pid(self) -> int | None:
        if self.pid_file is None or not self.pid_file.exists():
            return None
        return int(self.pid_file.read_text().split()[0])

    def close(self) -> None:
        for action in reversed(self.stop):
            with contextlib.suppress(Exception):
                action()  # type: ignore[operator]


def sqlite_database(work: Path) -> Database:
    path = work / "intake-surge.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Database(url=f"sqlite:///{path}")


def postgres_database(port: int, *, statements: bool = False) -> Database:
    """Start a throw-away PostgreSQL on 127.0.0.1 (as .ci/run does), durable settings.

    ``statements``: with pg_stat_statements, whose table (the statements by total time) is
    written to bench/out/intake_surge-postgres-statements.txt when the database stops.
    """
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not binaries:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql).")
    pg_bin = binaries[-1].parent
    directory = Path(tempfile.mkdtemp(prefix="okoa-bench-pg-"))
    shutil.chown(directory, "postgres", "postgres")

    def as_postgres(*command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True)

    as_postgres(
        str(pg_bin / "initdb"),
        "-D",
        f"{directory}/data",
        "-A",
        "trust",
        "-U",
        "postgres",
        "--no-sync",
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory} "
        "-c max_connections=100 -c shared_buffers=256MB"
    )
    if statements:
        options += " -c shared_preload_libraries=pg_stat_statements"
    as_postgres(
        str(pg_bin / "pg_ctl"),
        "-D",
        f"{directory}/data",
        "-l",
        f"{directory}/server.log",
        "-w",
        "-o",
        options,
        "start",
    )
    database = Database(
        url=f"postgresql://okoa:okoa-bench@127.0.0.1:{port}/okoa",
        pid_file=directory / "data" / "postmaster.pid",
    )
    database.stop.append(lambda: shutil.rmtree(directory, ignore_errors=True))
    database.stop.append(
        lambda: as_postgres(str(pg_bin / "pg_ctl"), "-D", f"{directory}/data", "-m", "fast", "stop")
    )
    as_postgres(
        str(pg_bin / "psql"),
        "-q",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        "postgres",
        "-c",
        "CREATE ROLE okoa LOGIN PASSWORD 'okoa-bench'",
        "-c",
        "CREATE DATABASE okoa OWNER okoa",
    )
    if statements:
        psql = [str(pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        as_postgres(*psql, "-d", "okoa", "-c", "CREATE EXTENSION pg_stat_statements")

        def write_statements() -> None:
            query = (
                "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, "
                "round(mean_exec_time::numeric, 3) AS mean_ms, rows, "
                "left(regexp_replace(query, '\\s+', ' ', 'g'), 180) AS query "
                "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 40"
            )
            table = subprocess.run(
                ["runuser", "-u", "postgres", "--", *psql, "-d", "okoa", "-c", query],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            (OUT_DIR / "intake_surge-postgres-statements.txt").write_text(table)

        database.stop.append(write_statements)  # stops run last first: before pg_ctl stop
    return database


def server_environment(database: Database, work: Path, sms_url: str) -> dict[str, str]:
    """Production settings for the server and for the set-up and check steps."""
    keys = json.loads((work / "keys.json").read_text())
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("OKOA_")},
        "DJANGO_SETTINGS_MODULE": "okoa.settings",
        "SECRET_KEY": keys["secret_key"],
        "OKOA_ENCRYPTION_KEYS": keys["encryption_keys"],
        "OKOA_BLIND_INDEX_KEY": keys["blind_index_key"],
        "OKOA_BACKUP_KEY": keys["backup_key"],
        "OKOA_VAR_DIR": str(work),
        "DATABASE_URL": database.url,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: in production a proxy in front terminates TLS.
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "OKOA_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "OKOA_WEBHOOK_ALLOWED_IPS": "",
        "OKOA_SMS_GATEWAY": "africastalking",
        "OKOA_SMS_API_URL": sms_url,
        "OKOA_SMS_USERNAME": "okoa-bench",
        "OKOA_SMS_API_KEY": API_KEY,
        "OKOA_INTAKE_REPORTS_PER_ADDRESS": "100000000",
    }
    environment.pop("DB_NAME", None)
    return environment


def make_keys(work: Path) -> None:
    sys.path.insert(0, str(REPO_DIR))
    from okoa.lib.crypto import new_key_text

    keys = {
        "secret_key": secrets.token_urlsafe(64),
        "encryption_keys": f"bench1:{new_key_text()}",
        "blind_index_key": new_key_text(),
        "backup_key": new_key_text(),
    }
    (work / "keys.json").write_text(json.dumps(keys))


SET_UP = f"""
import django
django.setup()
from okoa.accounts.actions import create_organisation
from okoa.intake.models import IntakeRoute
from okoa.vault.keys import ensure_key_ring_verified
ensure_key_ring_verified()
organisation = create_organisation(
    name="Surge Test Rescue Centre", kind="ngo", reference_prefix="{PREFIX}"
)
for channel in ("web", "sms", "ussd", "email"):
    IntakeRoute.objects.create(channel=channel, organisation=organisation)
"""

CHECK = """
import collections, json, sys
import django
django.setup()
from okoa.intake.models import OutboundSms, Report
accepted = json.load(open(sys.argv[1]))
references = collections.Counter(Report.objects.values_list("reference", flat=True))
sms_ids = collections.Counter(
    Report.objects.filter(channel="sms").values_list("external_id", flat=True)
)
sms_reports = dict(
    Report.objects.filter(channel="sms").values_list("external_id", "reference")
)
acknowledgements = collections.Counter(
    OutboundSms.objects.filter(report__channel="sms").values_list("report__external_id", flat=True)
)
statuses = collections.Counter(OutboundSms.objects.values_list("status", flat=True))
result = {
    "reports_in_database": sum(references.values()),
    "web_references_accepted": len(accepted["references"]),
    "web_references_not_exactly_once": sum(
        1 for reference in accepted["references"] if references[reference] != 1
    ),
    "sms_ids_accepted": len(accepted["sms_ids"]),
    "sms_ids_not_exactly_once": sum(1 for sms_id in accepted["sms_ids"] if sms_ids[sms_id] != 1),
    "sms_acknowledgements_not_exactly_once": sum(
        1 for sms_id in accepted["sms_ids"] if acknowledgements[sms_id] != 1
    ),
    "sms_reports": {sms_id: sms_reports.get(sms_id) for sms_id in accepted["sms_ids"]},
    "outbound_sms_by_status": dict(statuses),
}
print(json.dumps(result))
"""


def run_django(code: str, environment: dict[str, str], *arguments: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=REPO_DIR,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout


# The fake Africa's Talking messaging API


@dataclass
class FakeGateway:
    messages: dict[str, list[str]] = field(default_factory=lambda: collections.defaultdict(list))
    requests: int = 0
    refused: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = {
                    name.strip().lower(): value.strip()
                    for name, _, value in (line.partition(":") for line in lines[1:] if line)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                self.requests += 1
                form = parse_qs(body.decode())
                if headers.get("apikey") != API_KEY or not lines[0].startswith(
                    "POST /version1/messaging "
                ):
                    self.refused += 1
                    answer, status = {"error": "The supplied authentication is invalid"}, 401
                else:
                    numbers = form["to"][0].split(",")
                    for number in numbers:
                        self.messages[number].append(form["message"][0])
                    recipients = [
                        {
                            "statusCode": 101,
                            "number": number,
                            "status": "Success",
                            "cost": "KES 0.8000",
                            "messageId": f"ATXid_{self.requests}_{index}",
                        }
                        for index, number in enumerate(numbers)
                    ]
                    message = f"Sent to {len(numbers)}/{len(numbers)} Total Cost: KES 0.8"
                    answer = {"SMSMessageData": {"Message": message, "Recipients": recipients}}
                    status = 201
                data = json.dumps(answer).encode()
                keep = headers.get("connection", "").lower() != "close"
                writer.write(
                    f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n"
                    f"Connection: {'keep-alive' if keep else 'close'}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
                if not keep:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


# The load generator


class Closed(Exception):
    """The server closed the connection."""


@dataclass
class Connection:
    port: int
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    cookie: str = ""
    token: str = ""

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, list[str]], bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                await self.open()
            try:
                return await self._exchange(method, path, body, headers or {})
            except (Closed, ConnectionError, asyncio.IncompleteReadError):
                # A keep-alive connection the server had closed: the request did not reach
                # it; open a new one and send it again (once).
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(
        self, method: str, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, dict[str, list[str]], bytes]:
        assert self.reader is not None and self.writer is not None
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if not error.partial:
                raise Closed from error
            raise
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        response_headers: dict[str, list[str]] = collections.defaultdict(list)
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                response_headers[name.strip().lower()].append(value.strip())
        if "content-length" in response_headers:
            content = await self.reader.readexactly(int(response_headers["content-length"][0]))
        elif "chunked" in response_headers.get("transfer-encoding", [""])[0]:
            content = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                content += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            content = await self.reader.read()
            self.close()
        if "close" in response_headers.get("connection", [""])[0].lower():
            self.close()
        return status, response_headers, content

    async def prepare_form(self) -> None:
        """GET the public form: the CSRF cookie and token for this connection's reports."""
        status, headers, content = await self.request("GET", "/report/")
        if status != 200:
            raise RuntimeError(f"GET /report/ answered {status}")
        for cookie in headers.get("set-cookie", []):
            if cookie.startswith("csrftoken="):
                self.cookie = cookie.split(";")[0]
        match = CSRF_INPUT.search(content.decode())
        assert match and self.cookie, "no CSRF token"
        self.token = match.group(1)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"web": [], "sms": []})
    accepted: dict[str, int] = field(default_factory=lambda: {"web": 0, "sms": 0})
    errors: collections.Counter = field(default_factory=collections.Counter)
    references: list[str] = field(default_factory=list)
    sms_ids: list[str] = field(default_factory=list)
    sms_phones: dict[str, str] = field(default_factory=dict)


class Load:
    def __init__(self, arguments: argparse.Namespace, port: int) -> None:
        self.arguments = arguments
        self.port = port
        self.random = random.Random(arguments.seed)
        self.counter = 0
        self.results = Results()
        self.warm = Results()

    def _next_number(self) -> int:
        self.counter += 1
        return self.counter

    def _phone(self, number: int) -> str:
        return f"07{number % 100_000_000:08d}"

    async def one(self, connection: Connection, kind: str, measured: bool, started: float) -> None:
        results = self.results if measured else self.warm
        number = self._next_number()
        try:
            if kind == "web":
                if not connection.token:
                    await connection.prepare_form()
                body = urlencode(
                    {
                        "csrfmiddlewaretoken": connection.token,
                        "location_country": "SA",
                        "location_city": "Riyadh",
                        "narrative": self.random.choice(NARRATIVES),
                        "immediate_danger": self.random.choice(["yes", "no"]),
                        "subject_names": "",
                        "reporter_relationship": "relative",
                        "reporter_phone": self._phone(number),
                        "safe_contact": "",
                        "recruitment_agency": "",
                        "employer": "",
                        "submission": f"bench-{self.arguments.seed}-{number}",
                        "website": "",
                    }
                ).encode()
                status, _headers, content = await connection.request("POST", "/report/", body)
                found = REFERENCE.search(content.decode()) if status == 200 else None
                if found:
                    results.references.append(found.group(0))
            else:
                sms_id = f"ATXid_bench_{self.arguments.seed}_{number}"
                phone = f"+2547{number % 100_000_000:08d}"
                body = urlencode(
                    {
                        "from": phone,
                        "to": "21195",
                        "text": self.random.choice(NARRATIVES),
                        "date": "2026-03-02 09:15:00",
                        "id": sms_id,
                        "linkId": f"link{number}",
                        "networkCode": "63902",
                    }
                ).encode()
                status, _headers, content = await connection.request(
                    "POST",
                    "/webhooks/africastalking/sms/",
                    body,
                    {"X-Okoa-Webhook-Secret": WEBHOOK_SECRET},
                )
                found = status == 200
                if found:
                    results.sms_ids.append(sms_id)
                    results.sms_phones[sms_id] = phone
        except Exception as error:  # a connection error, a timeout: counted, never hidden
            results.errors[f"{kind}: {type(error).__name__}"] += 1
            connection.close()
            return
        latency = (time.perf_counter() - started) * 1000
        if found:
            results.accepted[kind] += 1
            results.latencies[kind].append(latency)
        else:
            results.errors[f"{kind}: HTTP {status}"] += 1

    def kind(self) -> str:
        return "sms" if self.random.random() < self.arguments.sms_share else "web"

    async def closed_loop(self, until: float, measure_from: float) -> None:
        async def worker() -> None:
            connection = Connection(self.port)
            while (now := time.perf_counter()) < until:
                await self.one(connection, self.kind(), now >= measure_from, now)
            connection.close()

        await asyncio.gather(*(worker() for _ in range(self.arguments.connections)))

    async def open_loop(self, until: float, measure_from: float) -> None:
        queue: asyncio.Queue[float | None] = asyncio.Queue()
        interval = 1 / self.arguments.rate

        async def schedule() -> None:
            due = time.perf_counter()
            while due < until:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                queue.put_nowait(due)
                due += interval
            for _ in range(self.arguments.connections):
                queue.put_nowait(None)

        async def worker() -> None:
            connection = Connection(self.port)
            while (scheduled := await queue.get()) is not None:
                await self.one(connection, self.kind(), scheduled >= measure_from, scheduled)
            connection.close()

        await asyncio.gather(schedule(), *(worker() for _ in range(self.arguments.connections)))


TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of a process and all its descendants, living or reaped."""
    if pid is None:
        return 0.0
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime, cutime, cstime (fields 14-17 of proc(5); 12-15 after the name).
            total += sum(int(value) for value in fields[11:15]) / TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
        except (OSError, ValueError):
            continue
    return total


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (every process, every core), from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICKS


@dataclass
class CpuSample:
    server: float
    database: float
    generator: float
    machine: float

    @classmethod
    def take(cls, server_pid: int, database: Database) -> CpuSample:
        usage = os.times()
        return cls(
            server=tree_cpu_seconds(server_pid),
            database=tree_cpu_seconds(database.pid()),
            generator=usage.user + usage.system,
            machine=machine_busy_seconds(),
        )


async def generate(
    arguments: argparse.Namespace, port: int, server_pid: int, database: Database
) -> Load:
    load = Load(arguments, port)
    start = time.perf_counter()
    measure_from = start + arguments.warm_up
    until = measure_from + arguments.duration
    samples: list[CpuSample] = []

    async def sample_at_start() -> None:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        samples.append(CpuSample.take(server_pid, database))

    sampler = asyncio.ensure_future(sample_at_start())
    if arguments.rate:
        await load.open_loop(until, measure_from)
    else:
        await load.closed_loop(until, measure_from)
    samples.append(CpuSample.take(server_pid, database))
    await sampler
    load.elapsed = time.perf_counter() - measure_from  # type: ignore[attr-defined]
    first, last = samples[0], samples[-1]
    load.cpu = {  # type: ignore[attr-defined]
        "server": last.server - first.server,
        "database": last.database - first.database,
        "generator_and_fake_gateway": last.generator - first.generator,
        "whole_machine": last.machine - first.machine,
    }
    return load


async def main_async(arguments: argparse.Namespace) -> dict[str, object]:
    speed_before = core_speed_ms()
    gateway = FakeGateway()
    sms_server = await asyncio.start_server(gateway.handle, "127.0.0.1", 0)
    sms_url = f"http://127.0.0.1:{sms_server.sockets[0].getsockname()[1]}"
    work = OUT_DIR / f"intake-surge-{arguments.database}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    make_keys(work)
    database = (
        sqlite_database(work)
        if arguments.database == "sqlite"
        else postgres_database(arguments.postgres_port, statements=arguments.statements)
    )
    server: subprocess.Popen[bytes] | None = None
    try:
        environment = server_environment(database, work, sms_url)
        print("Migrating a fresh database ...", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=REPO_DIR,
            env=environment,
            check=True,
        )
        run_django(SET_UP, environment)
        port = arguments.port or free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "okoa.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(arguments.workers),
            "--worker-class",
            arguments.worker_class,
            *(["--threads", str(arguments.threads)] if arguments.worker_class == "gthread" else []),
            "--keep-alive",
            "30",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        server = subprocess.Popen(command, cwd=REPO_DIR, env=environment)
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            await asyncio.sleep(0.1)
        print(
            f"Load: {arguments.duration:.0f} s after {arguments.warm_up:.0f} s warm-up, "
            f"{'rate ' + str(arguments.rate) + '/s' if arguments.rate else 'closed loop'}, "
            f"{arguments.connections} connections ...",
            flush=True,
        )
        load = await generate(arguments, port, server.pid, database)
    finally:
        if server is not None:
            # Graceful: workers finish their requests and their sender threads the SMS in
            # flight, so the fake gateway (this event loop) must go on answering meanwhile.
            server.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(server.wait, 30)
            if server.poll() is None:
                server.kill()
        sms_server.close()
    try:
        results, warm = load.results, load.warm
        accepted_file = work / "accepted.json"
        accepted_file.write_text(
            json.dumps(
                {
                    "references": results.references + warm.references,
                    "sms_ids": results.sms_ids + warm.sms_ids,
                }
            )
        )
        check = json.loads(run_django(CHECK, environment, str(accepted_file)))
    finally:
        database.close()
    # Every accepted SMS report was acknowledged once, with its own reference.
    sms_reports = check.pop("sms_reports")
    phones = {**warm.sms_phones, **results.sms_phones}
    wrong_acknowledgements = sum(
        1
        for sms_id, reference in sms_reports.items()
        if len(gateway.messages.get(phones[sms_id], [])) != 1
        or reference is None
        or reference not in gateway.messages[phones[sms_id]][0]
    )
    elapsed = load.elapsed  # type: ignore[attr-defined]
    accepted = sum(results.accepted.values())
    all_latencies = results.latencies["web"] + results.latencies["sms"]
    return {
        "benchmark": "intake_surge",
        "database": arguments.database,
        "server": (
            f"gunicorn {arguments.worker_class}, {arguments.workers} workers"
            + (f" x {arguments.threads} threads" if arguments.worker_class == "gthread" else "")
        ),
        "load": (
            f"open loop, {arguments.rate}/s"
            if arguments.rate
            else f"closed loop, {arguments.connections} connections"
        ),
        "duration_s": round(elapsed, 1),
        "accepted_reports": accepted,
        "accepted_per_second": round(accepted / elapsed, 1),
        "accepted_by_channel": results.accepted,
        "errors": dict(results.errors),
        "latency_all": percentiles(all_latencies) if all_latencies else {},
        "latency_web_form": percentiles(results.latencies["web"])
        if results.latencies["web"]
        else {},
        "latency_sms_webhook": (
            percentiles(results.latencies["sms"]) if results.latencies["sms"] else {}
        ),
        "warm_up": {"accepted": warm.accepted, "errors": dict(warm.errors)},
        "cpu": cpu_summary(load.cpu, accepted, elapsed),  # type: ignore[attr-defined]
        "check": {
            **check,
            "sms_acknowledgements_received_by_gateway": sum(
                len(messages) for messages in gateway.messages.values()
            ),
            "sms_acknowledgements_wrong_or_missing": wrong_acknowledgements,
            "gateway_requests_refused": gateway.refused,
        },
        "machine": machine(speed_before),
    }


def cpu_summary(cpu: dict[str, float], accepted: int, elapsed: float) -> dict[str, object]:
    """CPU seconds of the measured window, and per accepted report.

    The machine is shared with the load generator (and, on a busy machine, other work): the
    cost of a report in server and database CPU says what the same server could take on cores
    of its own, which the throughput alone cannot.
    """
    per_report = {
        name: round(seconds * 1000 / accepted, 2) if accepted else None
        for name, seconds in cpu.items()
    }
    serving = (cpu["server"] + cpu["database"]) / accepted if accepted else None
    cores = os.cpu_count() or 1
    return {
        "seconds": {name: round(seconds, 1) for name, seconds in cpu.items()},
        "ms_per_accepted_report": per_report,
        "machine_busy_share": round(cpu["whole_machine"] / (elapsed * cores), 2),
        "others_on_the_machine_cpu_seconds": round(
            cpu["whole_machine"] - sum(v for k, v in cpu.items() if k != "whole_machine"), 1
        ),
        # Reports a second if server and database had every core to themselves.
        "reports_per_second_on_all_cores_for_serving": (
            round(cores / serving, 1) if serving else None
        ),
    }


def main() -> None:
    arguments = parse_arguments()
    result = asyncio.run(main_async(arguments))
    check = result["check"]
    assert isinstance(check, dict)
    result["every_accepted_report_present_exactly_once"] = (
        check["web_references_not_exactly_once"] == 0
        and check["sms_ids_not_exactly_once"] == 0
        and check["sms_acknowledgements_not_exactly_once"] == 0
        and check["sms_acknowledgements_wrong_or_missing"] == 0
    )
    name = arguments.output or f"intake_surge-{arguments.database}"
    path = write_result(name, result)
    print(json.dumps({key: value for key, value in result.items() if key != "machine"}, indent=2))
    speed = result["machine"]["core_speed_ms"]  # type: ignore[index]
    print(f"Core speed: a fixed loop took {speed['before']} ms before, {speed['after']} ms after")
    print(f"Written to {path}")


if __name__ == "__main__":
    main()
