"""On SQLite, a statement's %s placeholders are rewritten to ? once per statement text, and
kept: the same statement runs the same, and its result is what Django's own rewrite gives."""

import pytest
from django.db import connection

from okoa.lib.sqlite import base


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's cursor only")
def test_statements_run_as_django_writes_them_and_the_rewrite_is_kept(db):
    base._qmark_query.cache_clear()
    statement = "SELECT %s || '%%' || %s, 'a%%s'"
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute(statement, ["50", "!"])
            assert cursor.fetchone() == ("50%!", "a%s")
    assert base._qmark_query(statement) == "SELECT ? || '%' || ?, 'a%s'"
    info = base._qmark_query.cache_info()
    assert info.misses == 1 and info.hits >= 2
    # Named parameters are left to Django's own conversion.
    with connection.cursor() as cursor:
        cursor.execute("SELECT %(first)s + %(second)s", {"first": 2, "second": 3})
        assert cursor.fetchone() == (5,)
