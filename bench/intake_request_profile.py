"""CPU time of one public report (``POST /report/``), in-process, and where it goes.

    uv run python bench/intake_request_profile.py             # 10 rounds of 300 reports
    uv run python bench/intake_request_profile.py --profile   # and a cProfile of one more round
    uv run python bench/intake_request_profile.py --channel sms --profile   # the SMS webhook

The single request path of the intake surge (bench/intake_surge.py), without the server, the
network and the load generator around it, so that a change to the request's own cost shows
clearly and the machine stays free for others (one core, a few seconds). Production settings as
in the surge (``SECRET_KEY`` and keys set, ``DEBUG`` off, CSRF checked), on a fresh SQLite
database in WAL mode under ``bench/out/intake-profile/``. Each report has its own submission id
and phone number; the per-address limit is raised, as in the surge (every request comes from
one address), and both rate limits are still counted.

Reports the process's CPU time per report (``time.process_time``, steadier than wall time on a
shared machine): the least of the rounds (the one least disturbed by other work on the machine)
and their median; the wall time; and the SQL statements of one report. ``--profile`` writes the
top functions by own and by cumulative time to ``bench/out/intake_request_profile.txt`` and the
raw statistics to ``.prof`` beside it (the profiler's own overhead makes that round slower: it is
run after the measured rounds, and its figures are not the CPU figures).
Writes ``bench/out/intake_request_profile.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from environment import OUT_DIR, REPO_DIR, machine, write_result

WORK = OUT_DIR / "intake-profile"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300, help="reports per round")
    parser.add_argument("--warm-up", type=int, default=100, help="reports before measuring")
    parser.add_argument("--rounds", type=int, default=10, help="measured rounds")
    parser.add_argument("--profile", action="store_true", help="also profile one round")
    parser.add_argument(
        "--channel",
        choices=["web", "sms"],
        default="web",
        help="the public form (web) or Africa's Talking's SMS webhook (sms)",
    )
    return parser.parse_args()


WEBHOOK_SECRET = "profile-webhook-secret-" + "s" * 24


def start_django() -> None:
    """Production settings on a fresh database under bench/out (never real keys or data)."""
    sys.path.insert(0, str(REPO_DIR))
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    from okoa.lib.crypto import new_key_text

    for name in [name for name in os.environ if name.startswith(("OKOA_", "DB_"))]:
        del os.environ[name]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="okoa.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        OKOA_ENCRYPTION_KEYS=f"bench1:{new_key_text()}",
        OKOA_BLIND_INDEX_KEY=new_key_text(),
        OKOA_BACKUP_KEY=new_key_text(),
        OKOA_VAR_DIR=str(WORK),
        DATABASE_URL=f"sqlite:///{WORK / 'intake-profile.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        OKOA_INTAKE_REPORTS_PER_ADDRESS="100000000",
        OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET,
        OKOA_WEBHOOK_ALLOWED_IPS="",
        # The acknowledgement is queued and "sent" (to a gateway that accepts everything) in the
        # request's own thread, so that its cost is counted with the report's.
        OKOA_SMS_GATEWAY="null",
        OKOA_SMS_SEND_IN_BACKGROUND="false",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from okoa.accounts.actions import create_organisation
    from okoa.intake.models import IntakeRoute
    from okoa.vault.keys import ensure_key_ring_verified

    ensure_key_ring_verified()
    organisation = create_organisation(
        name="Profile Test Rescue Centre", kind="ngo", reference_prefix="PRF"
    )
    IntakeRoute.objects.create(channel="web", organisation=organisation)
    IntakeRoute.objects.create(channel="sms", organisation=organisation)


class Reporter:
    """A browser that sends the public form again and again (one CSRF cookie and token)."""

    def __init__(self) -> None:
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        page = self.client.get("/report/").content.decode()
        found = CSRF_INPUT.search(page)
        assert found, "no CSRF token on the form"
        self.token = found.group(1)
        self.number = 0

    def send(self) -> None:
        self.number += 1
        # Form-encoded, as browsers send the form (the test client's default is multipart).
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "location_country": "SA",
                "location_city": "Riyadh",
                "narrative": "My sister works in a house in Riyadh and has not been paid.",
                "immediate_danger": "yes" if self.number % 2 else "no",
                "subject_names": "",
                "reporter_relationship": "relative",
                "reporter_phone": f"07{self.number % 100_000_000:08d}",
                "safe_contact": "",
                "recruitment_agency": "",
                "employer": "",
                "submission": f"profile-{self.number}",
                "website": "",
            }
        )
        response = self.client.post(
            "/report/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200 and b"-R-" in response.content, response.status_code


class Texter:
    """Africa's Talking delivering inbound SMS to the webhook, each with its own id and number."""

    def __init__(self) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1", HTTP_X_OKOA_WEBHOOK_SECRET=WEBHOOK_SECRET)
        self.number = 0

    def send(self) -> None:
        self.number += 1
        body = urlencode(
            {
                "from": f"+2547{self.number % 100_000_000:08d}",
                "to": "21195",
                "text": "Dada yangu amefungiwa nyumbani Riyadh, hajalipwa miezi sita.",
                "date": "2026-03-02 09:15:00",
                "id": f"ATXid_profile_{self.number}",
                "linkId": f"link{self.number}",
                "networkCode": "63902",
            }
        )
        response = self.client.post(
            "/webhooks/africastalking/sms/", body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200, response.status_code


def measure(reporter: Reporter | Texter, count: int) -> tuple[float, float]:
    """CPU and wall milliseconds per report over ``count`` reports."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        reporter.send()
    return (
        (time.process_time() - cpu) * 1000 / count,
        (time.perf_counter() - wall) * 1000 / count,
    )


def statements_of_one_report(reporter: Reporter | Texter) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        reporter.send()
    return [query["sql"][:160] for query in captured.captured_queries]


def profile(reporter: Reporter | Texter, count: int, name: str) -> tuple[Path, int]:
    """Profile ``count`` reports; return the report and the function calls per report (a count
    that, unlike time, other work on the machine does not disturb)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        reporter.send()
    profiler.disable()
    profiler.dump_stats(OUT_DIR / f"{name}.prof")  # for pstats or snakeviz
    out = io.StringIO()
    for order in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order)
        out.write(f"\n=== {count} reports, by {order} ===\n")
        stats.print_stats(40)
    path = OUT_DIR / f"{name}.txt"
    path.write_text(out.getvalue())
    calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
    return path, round(calls / count)


def main() -> None:
    arguments = parse_arguments()
    start_django()
    reporter = Reporter() if arguments.channel == "web" else Texter()
    name = "intake_request_profile" + ("" if arguments.channel == "web" else "-sms")
    measure(reporter, arguments.warm_up)
    rounds = [measure(reporter, arguments.reports) for _ in range(arguments.rounds)]
    cpu = min(cpu for cpu, _wall in rounds)
    cpu_median = statistics.median(cpu for cpu, _wall in rounds)
    wall = statistics.median(wall for _cpu, wall in rounds)
    statements = statements_of_one_report(reporter)
    result: dict[str, object] = {
        "channel": arguments.channel,
        "reports_per_round": arguments.reports,
        "rounds": [{"cpu_ms": round(c, 3), "wall_ms": round(w, 3)} for c, w in rounds],
        "cpu_ms_per_report_least": round(cpu, 3),
        "cpu_ms_per_report_median": round(cpu_median, 3),
        "wall_ms_per_report_median": round(wall, 3),
        "statements_per_report": len(statements),
        "statements": statements,
        "machine": machine(),
    }
    if arguments.profile:
        profiled, calls = profile(reporter, arguments.reports, name)
        result["profile"], result["function_calls_per_report"] = str(profiled), calls
        print(f"{calls} Python function calls per report; {profiled}")
    path = write_result(name, result)
    print(
        f"CPU per report: {cpu:.2f} ms least, {cpu_median:.2f} ms median of {arguments.rounds} "
        f"rounds of {arguments.reports}; wall {wall:.2f} ms (median); "
        f"{len(statements)} SQL statements; {path}"
    )
    print(json.dumps(result["rounds"]))


if __name__ == "__main__":
    main()
