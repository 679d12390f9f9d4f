"""Point Django at the benchmark database and start it; shared by the bench scripts.

The benchmark keeps everything it makes under ``bench/out/`` (git-ignored): the SQLite database
and the development keys that sealed it. Every script must see the same keys, or the database
refuses to open (okoa/vault/keys.py): so they all come through here.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_DATABASE = OUT_DIR / "okoa-bench.sqlite3"
LARGEST_ORGANISATION_PREFIX = "TUM"


def start_django(database: Path) -> None:
    """Configure the environment for ``database`` under bench/out and call django.setup()."""
    database = database.resolve()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("SECRET_KEY", "DB_NAME", "OKOA_ENCRYPTION_KEYS", "OKOA_BLIND_INDEX_KEY"):
        # Development mode with generated keys: the benchmark must never touch real keys or data.
        os.environ.pop(name, None)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["OKOA_VAR_DIR"] = str(OUT_DIR)
    os.environ["DJANGO_SETTINGS_MODULE"] = "okoa.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # As in production: DEBUG would record every SQL statement and slow each request down.
    os.environ["DEBUG"] = "false"
    if str(REPO_DIR) not in sys.path:
        sys.path.insert(0, str(REPO_DIR))
    import django

    django.setup()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """Return p50, p95, p99, mean and max of timings in milliseconds (inclusive method)."""
    cuts = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49], 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
        "mean_ms": round(statistics.fmean(samples_ms), 2),
        "max_ms": round(max(samples_ms), 2),
    }


def core_speed_ms() -> float:
    """CPU milliseconds of a fixed pure-Python loop, the least of five: the core's speed now.

    This shared virtual machine's cores run the same work at very different speeds from one
    minute to the next (the loop took 110 ms at some times, 210 ms at others, with nothing
    else running on the machine): figures taken at different times compare only next to this.
    """
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        total = 0
        for number in range(3_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return round(best * 1000, 1)


def machine(speed_before: float | None = None) -> dict[str, object]:
    """Describe the machine the figures were measured on (and the core's speed, before/after)."""
    import sqlite3

    import django

    memory_gib = None
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
        "platform": platform.platform(),
        # Other work on the machine at the end of the run (1, 5 and 15 minute averages).
        "load_average": [round(value, 2) for value in os.getloadavg()],
        # core_speed_ms (lower is faster) measured before the run, when given, and now.
        "core_speed_ms": {"before": speed_before, "after": core_speed_ms()},
    }


def write_result(name: str, result: dict[str, object]) -> Path:
    """Write ``result`` as bench/out/<name>.json and return the path."""
    path = OUT_DIR / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return path
