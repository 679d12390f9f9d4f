"""The case list and the home page cost the same number of queries for 3 cases as for 30, and a
page reached through its cursor as many as the first."""

import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext

# The session; the user with their memberships (one query); the page's cases with their types
# of exploitation and the cursor (one query); the access records (one INSERT); the unread
# notification count of the site's navigation.
MAX_QUERIES = 5


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_cases(cast, make_case, places, number):
    for _ in range(number):
        make_case(
            assigned_to=cast.caseworker,
            county=places.nairobi,
            exploitation_types=(places.forced_labour, places.sexual_exploitation),
        )


def test_case_list_queries_do_not_grow_with_the_number_of_cases(
    client, cast, make_case, places, django_assert_max_num_queries
):
    client.force_login(cast.caseworker)
    add_cases(cast, make_case, places, 3)
    queries_for(client, "/cases/")  # the first page also reads the filter options, then cached
    with_three = queries_for(client, "/cases/")

    add_cases(cast, make_case, places, 27)
    with_thirty = queries_for(client, "/cases/")

    assert with_three == with_thirty
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/cases/?status=open&sex=female")


def test_a_page_after_a_cursor_costs_no_more_queries_than_the_first(
    client, cast, make_case, places, django_assert_max_num_queries
):
    client.force_login(cast.caseworker)
    add_cases(cast, make_case, places, 30)
    first = client.get("/cases/")
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first.content.decode())
    assert next_link is not None
    next_url = next_link.group(1)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(unescape(next_url))

    assert response.status_code == 200


def test_home_page_queries_do_not_grow_with_the_number_of_cases(
    client, cast, make_case, places, django_assert_max_num_queries
):
    client.force_login(cast.caseworker)
    add_cases(cast, make_case, places, 3)
    with_three = queries_for(client, "/")

    add_cases(cast, make_case, places, 27)
    with_thirty = queries_for(client, "/")

    assert with_three == with_thirty
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/")


def test_analyst_home_page_queries_do_not_grow_with_the_number_of_cases(
    client, cast, make_case, places
):
    client.force_login(cast.analyst)
    add_cases(cast, make_case, places, 3)
    with_three = queries_for(client, "/")

    add_cases(cast, make_case, places, 27)

    assert queries_for(client, "/") == with_three
