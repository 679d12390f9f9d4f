"""The list endpoints cost the same number of queries for 3 records as for 30."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.cases.actions import open_case
from okoa.people.actions import create_person


def add_cases(cast, reference, count):
    for number in range(count):
        person = create_person(
            cast.ngo,
            by=cast.caseworker,
            given_name=f"Akinyi{number}",
            family_name="Ochieng",
            nationality=reference["KE"],
            county_of_origin=reference["nairobi"],
        )
        open_case(
            person,
            by=cast.caseworker,
            assigned_to=cast.caseworker,
            exploitation_types=[reference["forced_labour"], reference["sexual_exploitation"]],
        )


def queries_for(api, path):
    with CaptureQueriesContext(connection) as context:
        response = api.get(path, limit=100)
    assert response.status == 200
    return len(context), len(response.body["items"])


def test_case_list_query_count_does_not_grow_with_the_page(cast, api_as, reference):
    add_cases(cast, reference, 3)
    caseworker, analyst = api_as(cast.caseworker), api_as(cast.analyst)
    # The first request of a token records its use; later ones within a minute do not.
    caseworker.get("/api/cases")
    analyst.get("/api/cases")
    few = queries_for(caseworker, "/api/cases"), queries_for(analyst, "/api/cases")
    add_cases(cast, reference, 27)
    many = queries_for(caseworker, "/api/cases"), queries_for(analyst, "/api/cases")
    assert [items for _queries, items in few + many] == [3, 3, 30, 30]
    assert [queries for queries, _items in few] == [queries for queries, _items in many]


def test_people_list_query_count_does_not_grow_with_the_page(cast, api_as, reference):
    add_cases(cast, reference, 3)
    api = api_as(cast.caseworker)
    api.get("/api/people")
    few, few_items = queries_for(api, "/api/people")
    add_cases(cast, reference, 27)
    many, many_items = queries_for(api, "/api/people")
    assert (few_items, many_items) == (3, 30)
    assert few == many
