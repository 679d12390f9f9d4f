"""Lists page by opaque cursor: every record once, newest first, at most 100 a page."""

import pytest

from okoa.cases.actions import open_case
from okoa.people.actions import create_person


@pytest.fixture
def five_cases(cast, reference):
    cases = []
    for number in range(5):
        person = create_person(cast.ngo, by=cast.caseworker, given_name=f"Jelagat{number}")
        cases.append(open_case(person, by=cast.caseworker))
    return cases


def walk(api, path, limit):
    codes, cursor, pages = [], None, 0
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = api.get(path, **params).body
        codes += [item["code"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return codes, pages


def test_cases_are_paged_newest_first_without_repeats(cast, api_as, five_cases):
    codes, pages = walk(api_as(cast.caseworker), "/api/cases", limit=2)
    assert codes == [case.code for case in reversed(five_cases)]
    assert pages == 3


def test_people_are_paged_newest_first_without_repeats(cast, api_as, five_cases):
    codes, pages = walk(api_as(cast.caseworker), "/api/people", limit=2)
    assert codes == [case.person.code for case in reversed(five_cases)]
    assert pages == 3


@pytest.mark.parametrize("path", ["/api/cases", "/api/people"])
def test_a_limit_over_100_is_a_422(cast, api_as, path):
    response = api_as(cast.caseworker).get(path, limit=101)
    assert response.status == 422
    assert response.body["detail"][0]["loc"][-1] == "limit"


@pytest.mark.parametrize("path", ["/api/cases", "/api/people"])
def test_an_unknown_cursor_is_a_400_rather_than_the_first_page(cast, api_as, five_cases, path):
    response = api_as(cast.caseworker).get(path, cursor="AAAAAAAAAAAAAAAA")
    assert response.status == 400
    assert list(response.body["errors"]) == ["cursor"]


def test_another_organisations_code_is_no_cursor(cast, api_as, five_cases):
    response = api_as(cast.partner_caseworker).get("/api/cases", cursor=five_cases[2].code)
    assert response.status == 400
