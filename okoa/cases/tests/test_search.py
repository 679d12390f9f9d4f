"""Search is a POST form answered in its response: what was typed never reaches a URL."""

import re

import pytest

from okoa.audit.models import AccessRecord
from okoa.people.actions import create_person

URL_ATTRIBUTE = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url)="([^"]*)"')


@pytest.fixture
def survivor_case(cast, make_case):
    return make_case(given_name="Atieno", family_name="Otieno", phone_numbers=["0733 444 555"])


def urls_in(response):
    return URL_ATTRIBUTE.findall(response.content.decode())


@pytest.mark.parametrize("query", ["Atieno Otieno", "Atieni Otieno", "0733444555", "+254733444555"])
def test_search_finds_the_person_by_misspelt_name_or_phone_number(
    client, cast, survivor_case, query
):
    create_person(cast.ngo, by=cast.caseworker, given_name="Kamau", family_name="Gitau")
    client.force_login(cast.caseworker)

    response = client.post("/search/", {"q": query})

    assert response.status_code == 200
    found = [person for person, _cases in response.context["results"]]
    assert found[0] == survivor_case.person
    html = response.content.decode()
    assert f'href="/people/{survivor_case.person.code}/"' in html
    assert f'href="/cases/{survivor_case.code}/"' in html


@pytest.mark.parametrize("query", ["Atieni Otieno", "0733 444 555"])
def test_the_query_appears_in_no_url_of_the_response(client, cast, survivor_case, query):
    client.force_login(cast.caseworker)

    response = client.post("/search/", {"q": query})

    for url in urls_in(response):
        for word in query.split():
            assert word not in url
        assert "q=" not in url
    assert response.request["PATH_INFO"] == "/search/"


def test_search_by_reference_goes_to_the_case_page(client, cast, survivor_case):
    client.force_login(cast.caseworker)
    reference = survivor_case.reference.lower().replace("-0000", "-")  # tum-2026-1

    response = client.post("/search/", {"q": reference})

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{survivor_case.code}/"


def test_the_search_form_is_a_post_form(client, cast):
    client.force_login(cast.caseworker)

    html = client.get("/search/").content.decode()

    assert re.search(r'<form method="post" action="/search/"', html)


def test_search_records_an_access_for_each_person_shown(client, cast, survivor_case):
    client.force_login(cast.caseworker)

    client.post("/search/", {"q": "Atieno Otieno"})

    assert AccessRecord.objects.filter(
        record_kind="person", record_code=survivor_case.person.code, user=cast.caseworker
    ).exists()


def test_analyst_gets_an_explanation_instead_of_people(client, cast, survivor_case):
    client.force_login(cast.analyst)

    response = client.post("/search/", {"q": "Atieno Otieno"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Atieno" not in html.replace('value="Atieno Otieno"', "")
    assert "by its reference only" in html
    assert response.context["results"] is None


def test_analyst_can_find_a_case_by_reference(client, cast, survivor_case):
    client.force_login(cast.analyst)

    response = client.post("/search/", {"q": survivor_case.reference})

    assert response["Location"] == f"/cases/{survivor_case.code}/"
