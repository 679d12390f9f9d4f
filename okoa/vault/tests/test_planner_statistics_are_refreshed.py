"""The query planner keeps statistics of the tables (okoa/vault/planner.py)."""

import io

from django.core.management import call_command
from django.db import connection


def _tables_with_statistics() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


def test_the_command_gives_the_planner_statistics_of_the_case_table(make_case):
    for _ in range(3):
        make_case()
    if connection.vendor == "sqlite":
        # The test database was analysed empty, at migrate: no statistics of these rows yet.
        assert "cases_case" not in _tables_with_statistics()
    output = io.StringIO()

    call_command("refresh_planner_statistics", stdout=output)

    assert {"cases_case", "people_person"} <= _tables_with_statistics()
    assert output.getvalue() == "Planner statistics refreshed.\n"
