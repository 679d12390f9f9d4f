"""Regression tests for the classic attacks: stored XSS, CSRF and injection through search and
filters. Each runs through the real pages with the shared cast."""

import pytest
from django.test import Client
from django.urls import reverse

from okoa.cases.actions import add_case_note, update_case
from okoa.people.models import Person

XSS = '<script>alert("okoa")</script><img src=x onerror=alert(1)>'
INJECTIONS = [
    "' OR '1'='1",
    "x'); DROP TABLE people_person; --",
    '" UNION SELECT given_name FROM people_person --',
    "%' --",
    "\\x00\x00",
    "Wanjiku' AND 1=CAST((SELECT 1) AS int) --",
]


@pytest.fixture
def hostile_case(make_case, cast):
    case = make_case(
        given_name=XSS, family_name="Kamau", other_names=[XSS], assigned_to=cast.caseworker
    )
    update_case(case, by=cast.caseworker, narrative=XSS)
    add_case_note(case, body=XSS, by=cast.caseworker)
    return case


@pytest.mark.parametrize("page", ["cases:detail", "people:detail", "cases:list", "cases:home"])
def test_names_and_narratives_are_escaped_never_executed(client, cast, hostile_case, page):
    client.force_login(cast.caseworker)
    args = {
        "cases:detail": [hostile_case.code],
        "people:detail": [hostile_case.person.code],
    }.get(page, [])
    html = client.get(reverse(page, args=args)).content.decode()
    assert "<script>alert" not in html
    assert "onerror=alert" not in html or "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(&quot;okoa&quot;)&lt;/script&gt;" in html


def test_the_api_returns_names_as_data_not_markup(client, cast, hostile_case):
    from okoa.accounts.actions import issue_api_token

    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="test")
    response = client.get(
        f"/api/people/{hostile_case.person.code}", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["given_name"] == XSS


@pytest.mark.parametrize(
    ("route", "data"),
    [
        ("cases:search", {"q": "Kamau"}),
        ("cases:new", {"person-given_name": "Auma"}),
        ("accounts:logout", {}),
    ],
)
def test_a_post_without_the_csrf_token_is_refused(cast, route, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.caseworker)
    before = Person.objects.count()
    response = client.post(reverse(route), data)
    assert response.status_code == 403
    assert Person.objects.count() == before


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_injection_through_the_search_box_finds_nothing_and_breaks_nothing(
    client, cast, hostile_case, make_case, attempt
):
    other = make_case(organisation=cast.partner, given_name="Adhiambo", family_name="Were")
    client.force_login(cast.caseworker)
    before = Person.objects.count()
    response = client.post(reverse("cases:search"), {"q": attempt})
    assert response.status_code in (200, 400)
    # Only name-part matches can come back (the hostile name has a part "x"); never another
    # organisation's people, and nothing is changed or dropped.
    assert other.person.given_name not in response.content.decode()
    assert Person.objects.count() == before


def test_injection_through_list_filters_is_refused_or_ignored(client, cast, hostile_case):
    client.force_login(cast.caseworker)
    for parameter in ["status", "county", "sex", "exploitation", "after", "mine"]:
        for attempt in INJECTIONS:
            response = client.get(reverse("cases:list"), {parameter: attempt})
            # NUL characters are refused outright (RejectNulMiddleware); the rest are ignored.
            expected = 400 if "\x00" in attempt else 200
            assert response.status_code == expected, (parameter, attempt)
    assert Person.objects.filter(pk=hostile_case.person.pk).exists()


@pytest.mark.parametrize("attempt", INJECTIONS)
def test_injection_through_the_api_search_and_filters(client, cast, hostile_case, attempt):
    from okoa.accounts.actions import issue_api_token

    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    search = client.post(
        "/api/people/search", {"query": attempt}, content_type="application/json", **auth
    )
    assert search.status_code in (200, 400, 422)
    listing = client.get("/api/cases", {"status": attempt, "county": attempt}, **auth)
    assert listing.status_code in (200, 400, 422)
    assert Person.objects.filter(pk=hostile_case.person.pk).exists()
