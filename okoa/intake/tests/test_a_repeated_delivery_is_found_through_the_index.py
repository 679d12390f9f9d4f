"""A gateway's retried delivery is looked up through the unique index, never by a scan.

The unique index on (channel, external_id) is partial (``external_id`` not empty), and SQLite
uses a partial index only when the query repeats its condition as written. Looked up for every
SMS and every public report of a surge, a scan would slow intake down as reports accumulate.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.intake.actions import delivered_report
from okoa.intake.models import Channel

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_look_up_of_a_delivery_searches_the_unique_index(cast):
    with CaptureQueriesContext(connection) as queries:
        assert delivered_report(Channel.SMS, "ATXid_0001") is None
    look_up = next(q["sql"] for q in queries.captured_queries if '"external_id"' in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {look_up}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "report_external_id_unique_per_channel" in plan, plan
    assert "SCAN intake_report" not in plan, plan
