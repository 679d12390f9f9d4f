"""Search finds people by misspelt names, phones or document numbers, from a POST body."""

import pytest

from okoa.audit.models import AccessRecord
from okoa.people.actions import create_person


@pytest.fixture
def people(cast, reference):
    for given, family, phone in [
        ("Kiprono", "Cheruiyot", "0733 100 200"),
        ("Wanjiru", "Kamau", "0733 100 201"),
        ("Mohamed", "Hassan", "0733 100 202"),
    ]:
        create_person(
            cast.ngo,
            by=cast.caseworker,
            given_name=given,
            family_name=family,
            phone_numbers=[phone],
        )


def test_a_misspelt_name_finds_the_person(cast, api_as, people):
    response = api_as(cast.caseworker).post("/api/people/search", {"query": "Kiprnoo Cheruyiot"})
    assert response.status == 200
    assert response.body["items"][0]["full_name"] == "Kiprono Cheruiyot"
    assert response.body["items"][0]["score"] > 0


def test_a_phone_number_finds_the_person(cast, api_as, people):
    response = api_as(cast.caseworker).post("/api/people/search", {"query": "+254 733 100 202"})
    assert [item["full_name"] for item in response.body["items"]] == ["Mohamed Hassan"]


def test_results_are_logged_as_reads(cast, api_as, people):
    response = api_as(cast.caseworker).post("/api/people/search", {"query": "Mohammed Hasan"})
    codes = {item["code"] for item in response.body["items"]}
    logged = set(
        AccessRecord.objects.filter(record_kind="person", channel="api").values_list(
            "record_code", flat=True
        )
    )
    assert codes and logged == codes


def test_search_is_not_available_by_get(cast, api_as, people):
    response = api_as(cast.caseworker).get("/api/people/search", query="Kiprono")
    assert response.status in (404, 405)
    assert "Kiprono" not in response.text


def test_an_empty_query_is_a_422(cast, api_as, people):
    assert api_as(cast.caseworker).post("/api/people/search", {"query": ""}).status == 422
