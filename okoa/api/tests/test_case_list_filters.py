"""The case list filters by status, county and sex of the survivor, and exploitation type."""

import pytest

from okoa.cases.actions import change_case_status, open_case
from okoa.people.actions import create_person


@pytest.fixture
def cases(cast, reference):
    def make(given, sex, county, exploitation):
        person = create_person(
            cast.ngo, by=cast.caseworker, given_name=given, sex=sex, county_of_origin=county
        )
        return open_case(person, by=cast.caseworker, exploitation_types=[exploitation])

    return {
        "kadzo": make("Kadzo", "female", reference["mombasa"], reference["forced_labour"]),
        "kazungu": make("Kazungu", "male", reference["mombasa"], reference["sexual_exploitation"]),
        "wambui": make("Wambui", "female", reference["nairobi"], reference["sexual_exploitation"]),
    }


def listed(api, **filters):
    response = api.get("/api/cases", **filters)
    assert response.status == 200, response.text
    return {item["code"] for item in response.body["items"]}


def test_each_filter_narrows_the_list(cast, api_as, cases):
    api = api_as(cast.analyst)
    change_case_status(cases["wambui"], to="in_care", by=cast.supervisor)
    assert listed(api, status="in_care") == {cases["wambui"].code}
    assert listed(api, county=1) == {cases["kadzo"].code, cases["kazungu"].code}
    assert listed(api, sex="male") == {cases["kazungu"].code}
    assert listed(api, exploitation_type="SexualExploitation", sex="female") == {
        cases["wambui"].code
    }


def test_unknown_filter_codes_are_400_naming_the_filter(cast, api_as, cases):
    response = api_as(cast.caseworker).get("/api/cases", county=48, exploitation_type="DebtBondage")
    assert response.status == 400
    assert set(response.body["errors"]) == {"county", "exploitation_type"}


def test_assigned_to_me_lists_my_cases(cast, api_as, cases, survivor):
    mine = open_case(survivor, by=cast.supervisor, assigned_to=cast.caseworker)
    assert listed(api_as(cast.caseworker), assigned_to_me="true") == {mine.code}
