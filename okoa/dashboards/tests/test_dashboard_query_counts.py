"""Each dashboard costs the same number of queries with two items in every panel as with six,
and stays within a fixed budget; past the lines shown, a panel says how many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.dashboards import panels
from okoa.dashboards.tests.conftest import count_of, fill

# Session, user, membership, the follow-up policy's days late, one query per list (the team's
# approvals read three, its caseload two), then one insert of access records per kind of record
# shown: 12 and 16 today, with room to spare.
MAX_QUERIES = {"/dashboard/": 14, "/dashboard/team/": 18}


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def fill_rounds(cast, make_case, move_back, rounds):
    for _ in range(rounds):
        fill(cast.ngo, cast.caseworker, make_case, move_back, "Akinyi", supervisor=cast.supervisor)


@pytest.mark.parametrize(
    ("user", "path"), [("caseworker", "/dashboard/"), ("supervisor", "/dashboard/team/")]
)
def test_queries_do_not_grow_with_the_number_of_items(
    client, cast, make_case, move_back, django_assert_max_num_queries, user, path
):
    client.force_login(getattr(cast, user))
    fill_rounds(cast, make_case, move_back, 2)
    with_two = queries_for(client, path)

    fill_rounds(cast, make_case, move_back, 4)
    with_six = queries_for(client, path)

    assert with_two == with_six
    with django_assert_max_num_queries(MAX_QUERIES[path]):
        client.get(path)


def test_a_long_panel_shows_its_first_lines_and_counts_them_all(
    client, cast, make_case, move_back, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(panels, "ROWS_SHOWN", 2)
    fill_rounds(cast, make_case, move_back, 3)
    client.force_login(cast.caseworker)

    with django_assert_max_num_queries(MAX_QUERIES["/dashboard/"] + len(panels.DAY_PANELS)):
        html = client.get("/dashboard/").content.decode()

    assert count_of(html, "follow-ups") == 3
    assert "Showing 2 of 3." in html
