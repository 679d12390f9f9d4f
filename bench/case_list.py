"""Measure the case list page on the benchmark database, as a caseworker of the largest org.

    uv run python bench/case_list.py

Requests go through Django's test ``Client`` in-process (the whole middleware stack, the view,
the template and the access-log writes; no network), with a mix of filters, first pages, pages
reached by following the "next page" link, and pages deep in the list (a cursor from the middle
or the end of the organisation's cases). Each request's server time is the wall time around
``client.get``. Writes bench/out/case_list.json.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import html
import io
import pstats
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from environment import (
    DEFAULT_DATABASE,
    OUT_DIR,
    core_speed_ms,
    machine,
    percentiles,
    start_django,
    write_result,
)

NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next">')

# Filter mixes: (label, query parameters). Counties by official code, types by HTCDS code.
SCENARIOS: list[tuple[str, dict[str, str]]] = [
    ("no filter", {}),
    ("status open", {"status": "open"}),
    ("status in care", {"status": "in_care"}),
    ("status closure requested", {"status": "closure_requested"}),
    ("status closed", {"status": "closed"}),
    ("county Nairobi", {"county": "47"}),
    ("county Kiambu", {"county": "22"}),
    ("county Lamu (rare)", {"county": "5"}),
    ("sex female", {"sex": "female"}),
    ("sex other (rare)", {"sex": "other"}),
    ("forced labour", {"exploitation": "ForcedLabour"}),
    ("sexual exploitation", {"exploitation": "SexualExploitation"}),
    ("organ removal (rare)", {"exploitation": "OrganRemoval"}),
    ("open + Kisumu", {"status": "open", "county": "42"}),
    (
        "in care + female + forced labour",
        {
            "status": "in_care",
            "sex": "female",
            "exploitation": "ForcedLabour",
        },
    ),
    ("closed + male + Mombasa", {"status": "closed", "sex": "male", "county": "1"}),
    ("assigned to me", {"mine": "on"}),
    ("assigned to me + open", {"mine": "on", "status": "open"}),
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--warm-up", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--output", default="case_list", help="name of the JSON file in bench/out")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, profile N more requests (cProfile); writes <output>.prof and .txt",
    )
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    speed_before = core_speed_ms()
    start_django(arguments.database)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from generate import BENCH_CASEWORKER_EMAIL

    from okoa.accounts.models import User
    from okoa.cases.models import Case

    user = User.objects.get(email=BENCH_CASEWORKER_EMAIL)
    organisation_id = user.memberships.get().organisation_id
    client = Client()
    client.force_login(user)
    list_url = reverse("cases:list")
    rng = random.Random(arguments.seed)
    case_ids = list(
        Case.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    deep_codes = dict(
        Case.objects.filter(pk__in=rng.sample(case_ids, 200)).values_list("pk", "code")
    )

    def plan() -> list[tuple[str, str, dict[str, str]]]:
        """One visit: a filter mix, then a first page, a few next pages, or a deep page."""
        label, params = rng.choice(SCENARIOS)
        roll = rng.random()
        if roll < 0.2:
            deep = dict(params, after=rng.choice(list(deep_codes.values())))
            return [(label, "deep page", deep)]
        pages = 1 if roll < 0.5 else rng.randint(2, 6)
        return [
            (label, "first page" if page == 0 else "next page", params) for page in range(pages)
        ]

    def visit(steps: list[tuple[str, str, dict[str, str]]], record: bool) -> None:
        url: str | None = None
        for label, kind, params in steps:
            if kind == "next page":
                if url is None:
                    return
                target, data = url, None
            else:
                target, data = list_url, params
            before, before_cpu = time.perf_counter(), time.process_time()
            response = client.get(target, data)
            elapsed = (time.perf_counter() - before) * 1000
            elapsed_cpu = (time.process_time() - before_cpu) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{target} answered {response.status_code}")
            if record:
                timings.append(elapsed)
                cpu_timings.append(elapsed_cpu)
                by_kind[kind].append(elapsed)
                by_scenario[label].append(elapsed)
            match = NEXT_LINK.search(response.content.decode())
            url = html.unescape(match.group(1)) if match else None
            if record and len(timings) >= arguments.requests:
                return

    timings: list[float] = []
    cpu_timings: list[float] = []
    by_kind: dict[str, list[float]] = collections.defaultdict(list)
    by_scenario: dict[str, list[float]] = collections.defaultdict(list)
    warm_timings: list[float] = []
    while len(warm_timings) < arguments.warm_up:
        before = len(timings)
        visit(plan(), record=True)
        warm_timings.extend(timings[before:])
        del timings[before:]
        del cpu_timings[before:]
    by_kind.clear()
    by_scenario.clear()
    while len(timings) < arguments.requests:
        visit(plan(), record=True)

    if arguments.profile:
        profile_requests(arguments, lambda: visit(plan(), record=False))

    queries_per_page = {}
    for label, params in SCENARIOS:
        with CaptureQueriesContext(connection) as captured:
            client.get(list_url, params)
        queries_per_page[label] = len(captured.captured_queries)

    result = {
        "date": time.strftime("%Y-%m-%d"),
        "database": str(Path(arguments.database).resolve()),
        "organisation_cases": len(case_ids),
        "requests": len(timings),
        "warm_up": len(warm_timings),
        "measured": "the real view (okoa.cases.views.case_list) through django.test.Client",
        "timing": percentiles(timings),
        # CPU time of this process per request: what the page costs when the machine is shared.
        "cpu_timing": percentiles(cpu_timings),
        "by_kind": {kind: percentiles(values) for kind, values in sorted(by_kind.items())},
        "by_scenario": {
            label: {**percentiles(values), "requests": len(values)}
            for label, values in sorted(by_scenario.items())
            if len(values) >= 2
        },
        "queries_per_page": queries_per_page,
        "machine": machine(speed_before),
    }
    path = write_result(arguments.output, result)
    timing, cpu = result["timing"], result["cpu_timing"]
    print(
        f"Case list, {len(timings)} requests over {len(case_ids):,} cases: "
        f"p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms, p99 {timing['p99_ms']} ms "
        f"(CPU time p50 {cpu['p50_ms']} ms, p95 {cpu['p95_ms']} ms, p99 {cpu['p99_ms']} ms; "
        f"load average {result['machine']['load_average']}). Results: {path}"  # type: ignore[index]
    )
    for label, figures in result["by_scenario"].items():  # type: ignore[union-attr]
        print(
            f"  {label:34} p50 {figures['p50_ms']:7.2f}  p95 {figures['p95_ms']:7.2f}  "
            f"({figures['requests']} requests)"
        )


def profile_requests(arguments: argparse.Namespace, one_visit: Callable[[], None]) -> None:
    """Profile about ``--profile`` more requests; the figures above are measured without it."""
    profiler = cProfile.Profile()
    visits = max(1, arguments.profile // 2)  # a visit is one to six requests, two on average
    profiler.enable()
    for _ in range(visits):
        one_visit()
    profiler.disable()
    stem = OUT_DIR / arguments.output
    profiler.dump_stats(f"{stem}.prof")
    text = io.StringIO()
    for order in ("tottime", "cumulative"):
        stats = pstats.Stats(profiler, stream=text)
        text.write(f"\n=== {visits} visits, by {order} ===\n")
        stats.sort_stats(order).print_stats(60)
    Path(f"{stem}.txt").write_text(text.getvalue())
    print(f"Profile of {visits} visits: {stem}.prof, {stem}.txt")


if __name__ == "__main__":
    sys.exit(main())
