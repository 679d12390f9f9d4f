"""The case list and the home page cost the same number of queries for 3 cases as for 30."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

# Session, user, membership, cases, exploitation types, access records; with room to spare.
MAX_QUERIES = 10


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
