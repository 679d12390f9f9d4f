"""The triage queue and the call list cost the same number of queries for 3 records as for 30."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.intake.actions import assign_report, log_hotline_call

# Session, user, membership, reports (with assignee and country); with room to spare.
MAX_QUERIES = 8


def queries_for(client, url):
    client.get(url)  # once first: the first request after signing in also writes the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_reports(cast, make_report, countries, number):
    for n in range(number):
        report = make_report(location_country=countries.oman, urgency=1 + n % 4).report
        assign_report(report, to=cast.caseworker, by=cast.operator)


def test_queue_queries_do_not_grow_with_the_number_of_reports(
    client, cast, make_report, countries, django_assert_max_num_queries
):
    client.force_login(cast.operator)
    add_reports(cast, make_report, countries, 3)
    with_three = queries_for(client, "/intake/")

    add_reports(cast, make_report, countries, 27)
    with_thirty = queries_for(client, "/intake/")

    assert with_three == with_thirty
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/intake/?status=in_triage&channel=hotline&mine=on")


def test_call_list_queries_do_not_grow_with_the_number_of_calls(client, cast):
    client.force_login(cast.operator)
    for _ in range(3):
        log_hotline_call(cast.ngo, by=cast.operator, category="silent")
    with_three = queries_for(client, "/intake/calls/")

    for _ in range(27):
        log_hotline_call(cast.ngo, by=cast.operator, category="prank")

    assert queries_for(client, "/intake/calls/") == with_three
