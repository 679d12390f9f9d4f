"""Data analysts read case attributes through the API, never who the survivor is."""

import pytest

# Everything about the survivor that identifies her, as stored by the fixtures.
IDENTIFYING = ["Nyokabi", "Wairimu", "Gathoni", "712 000 111", "AK0098765", "Zawadi", "Riyadh"]


def assert_no_identity(text):
    for value in IDENTIFYING:
        assert value not in text, value


def test_the_case_list_shows_attributes_without_names(cast, api_as, case, survivor):
    response = api_as(cast.analyst).get("/api/cases")
    assert response.status == 200
    [item] = response.body["items"]
    assert item["person"] is None
    assert item["survivor"] == {"sex": "female", "county_of_origin": 1}
    assert survivor.code not in response.text
    assert_no_identity(response.text)


def test_the_case_detail_shows_attributes_without_names_or_narrative(cast, api_as, case, survivor):
    response = api_as(cast.analyst).get(f"/api/cases/{case.code}")
    assert response.status == 200
    assert response.body["person"] is None
    assert response.body["narrative"] is None
    assert response.body["exploitation_types"] == ["ForcedLabour"]
    assert survivor.code not in response.text
    assert_no_identity(response.text)


@pytest.mark.parametrize("path", ["/api/people", "/api/people/{code}"])
def test_people_endpoints_are_404_for_analysts(cast, api_as, survivor, path):
    response = api_as(cast.analyst).get(path.format(code=survivor.code))
    assert response.status == 404
    assert_no_identity(response.text)


def test_search_is_404_for_analysts(cast, api_as, survivor):
    response = api_as(cast.analyst).post("/api/people/search", {"query": "Nyokabi"})
    assert response.status == 404


def test_analysts_cannot_write(cast, api_as, case, survivor):
    analyst = api_as(cast.analyst)
    assert analyst.post("/api/people", {"given_name": "Jeptoo"}).status == 404
    assert analyst.post("/api/cases", {"person": survivor.code}).status == 404
    assert analyst.patch(f"/api/cases/{case.code}", {"version": 1, "narrative": "x"}).status == 404
    assert analyst.post(f"/api/cases/{case.code}/status", {"to": "in_care"}).status == 404
