"""The case list filters by status, county, sex, type of exploitation and caseworker."""

import pytest

from okoa.cases.actions import change_case_status


@pytest.fixture
def cases(cast, make_case, places):
    in_care = make_case(
        sex="female",
        county=places.mombasa,
        assigned_to=cast.caseworker,
        exploitation_types=(places.forced_labour,),
    )
    change_case_status(in_care, to="in_care", by=cast.caseworker)
    return {
        "in_care": in_care,
        "nairobi_man": make_case(
            sex="male", county=places.nairobi, exploitation_types=(places.sexual_exploitation,)
        ),
        "unknown": make_case(sex="unknown", assigned_to=cast.supervisor),
    }


def shown(client, query):
    response = client.get("/cases/", query)
    assert response.status_code == 200
    return {case.reference for case in response.context["cases"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"in_care", "nairobi_man", "unknown"}),
        ({"status": "in_care"}, {"in_care"}),
        ({"status": "open"}, {"nairobi_man", "unknown"}),
        ({"county": "47"}, {"nairobi_man"}),
        ({"sex": "male"}, {"nairobi_man"}),
        ({"exploitation": "ForcedLabour"}, {"in_care"}),
        ({"exploitation": "SexualExploitation", "county": "47"}, {"nairobi_man"}),
        ({"mine": "on"}, {"in_care"}),
        ({"status": "closed"}, set()),
    ],
)
def test_filters_show_only_matching_cases(client, cast, cases, query, expected):
    client.force_login(cast.caseworker)

    assert shown(client, query) == {cases[name].reference for name in expected}


def test_an_unknown_filter_value_shows_an_error_and_filters_nothing(client, cast, cases):
    client.force_login(cast.caseworker)

    response = client.get("/cases/", {"county": "99"})

    assert response.context["form"].errors["county"]
    assert len(response.context["cases"]) == 3


def test_htmx_gets_only_the_results_and_caches_vary_on_it(client, cast, cases):
    client.force_login(cast.caseworker)

    response = client.get("/cases/", {"sex": "male"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="case-results"')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
