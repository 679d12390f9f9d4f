"""The query planner's statistics: fresh after every migration, and daily from cron.

SQLite chooses between the cases' indexes (by organisation and status, county, sex, caseworker)
from the statistics ``ANALYZE`` keeps in ``sqlite_stat1``. A migration that rebuilds a table
drops them, and without them SQLite guessed: the case list filtered by status, sex and county
walked the index on sex (two values) instead of the one on county (47), several times slower
on a large installation. A full ANALYZE takes about 15 s on a million cases (docs/benchmarks.md);
a sampled one (``PRAGMA analysis_limit``) was tried and is useless here: a sample of a few
thousand rows sees one organisation, one status and one sex, so every index looked the same.
PostgreSQL's autovacuum keeps its own statistics; ANALYZE there is harmless.
"""

from __future__ import annotations

from typing import Any

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Run ANALYZE on the database ``using``."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def refresh_after_migrate(
    sender: Any, using: str = "default", plan: list[Any] | None = None, **kwargs: Any
) -> None:
    """post_migrate receiver (once per ``migrate``: connected for this app only). Only when
    migrations were applied: ``flush`` (between the test suite's transactional tests) and a
    ``migrate`` with nothing to do send the signal too."""
    if plan:
        refresh_planner_statistics(using)
