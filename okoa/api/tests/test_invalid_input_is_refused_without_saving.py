"""Invalid input is answered with the fields named, and nothing of the request is saved."""

import pytest

from okoa.audit.models import ChangeRecord
from okoa.cases.models import Case
from okoa.people.models import Person, PersonSearchToken


@pytest.fixture
def counts(db):
    def snapshot():
        return (
            Person.objects.count(),
            PersonSearchToken.objects.count(),
            Case.objects.count(),
            ChangeRecord.objects.count(),
        )

    return snapshot


def error_locations(response):
    return [error["loc"][-1] for error in response.body["detail"]]


def test_schema_errors_are_422_naming_the_fields(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/people", {"family_name": "Otieno", "sex": "alien", "date_of_birth": "31/12/1999"}
    )
    assert response.status == 422
    assert sorted(error_locations(response)) == ["date_of_birth", "given_name", "sex"]
    assert counts() == before


def test_schema_errors_do_not_echo_the_submitted_values(cast, api_as, reference):
    response = api_as(cast.caseworker).post(
        "/api/people", {"given_name": "Wekesa " * 50, "phone_numbers": "0711 222 333"}
    )
    assert response.status == 422
    assert "Wekesa" not in response.text
    assert "0711" not in response.text


def test_unknown_fields_are_refused(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post("/api/people", {"given_name": "Otieno", "nmae": "x"})
    assert response.status == 422
    assert error_locations(response) == ["nmae"]
    assert counts() == before


def test_values_the_action_refuses_are_400_with_errors_by_field(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/people",
        {"given_name": "  ", "date_of_birth": "2999-01-01", "phone_numbers": ["12"]},
    )
    assert response.status == 400
    assert set(response.body["errors"]) == {"given_name", "date_of_birth", "phone_numbers"}
    assert response.body["detail"]
    assert counts() == before


def test_unknown_reference_codes_are_400_naming_each_field(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/people",
        {
            "given_name": "Otieno",
            "nationality": "XX",
            "county_of_origin": 99,
            "sub_county_of_origin": 9999,
        },
    )
    assert response.status == 400
    assert set(response.body["errors"]) == {
        "nationality",
        "county_of_origin",
        "sub_county_of_origin",
    }
    assert counts() == before


def test_a_code_from_another_list_is_refused_for_the_field(cast, api_as, survivor, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/cases",
        {
            "person": survivor.code,
            # A method of control is not a type of exploitation, and vice versa.
            "exploitation_types": ["ForcedLabour", "DebtBondage"],
            "trafficking_status": "ForcedLabour",
            "countries_of_exploitation": ["SA", "ZZ"],
        },
    )
    assert response.status == 400
    errors = response.body["errors"]
    assert set(errors) == {"exploitation_types", "trafficking_status", "countries_of_exploitation"}
    assert "DebtBondage" in errors["exploitation_types"][0]
    assert "ZZ" in errors["countries_of_exploitation"][0]
    assert counts() == before


def test_a_case_that_fails_leaves_no_new_person_behind(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/cases",
        {
            "new_person": {"given_name": "Atieno", "family_name": "Odera"},
            "identified_on": "2999-01-01",
        },
    )
    assert response.status == 400
    assert list(response.body["errors"]) == ["identified_on"]
    assert counts() == before


def test_errors_of_a_new_person_are_named_under_new_person(cast, api_as, reference, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/cases",
        {"new_person": {"given_name": " ", "nationality": "XX"}},
    )
    assert response.status == 400
    assert list(response.body["errors"]) == ["new_person.nationality"]
    response = api_as(cast.caseworker).post("/api/cases", {"new_person": {"given_name": " "}})
    assert response.status == 400
    assert list(response.body["errors"]) == ["new_person.given_name"]
    assert counts() == before


def test_an_unknown_caseworker_code_is_refused(cast, api_as, survivor, counts):
    before = counts()
    response = api_as(cast.caseworker).post(
        "/api/cases", {"person": survivor.code, "assigned_to": cast.partner_caseworker.code}
    )
    assert response.status == 400
    assert list(response.body["errors"]) == ["assigned_to"]
    assert counts() == before


def test_an_invalid_update_changes_nothing(cast, api_as, case, counts):
    before = counts()
    response = api_as(cast.caseworker).patch(
        f"/api/cases/{case.code}",
        {
            "version": 1,
            "narrative": "Changed",
            "exploitation_began_on": "2025-03-01",
            "exploitation_ended_on": "2025-01-01",
        },
    )
    assert response.status == 400
    assert list(response.body["errors"]) == ["exploitation_ended_on"]
    case.refresh_from_db()
    assert (case.version, case.narrative) == (
        1,
        "Recruited by Zawadi Mutheu for domestic work in Riyadh.",
    )
    assert counts() == before


def test_a_body_that_is_not_json_is_refused(cast, api_as, reference, counts):
    api = api_as(cast.caseworker)
    before = counts()
    response = api.client.post(
        "/api/people",
        "given_name=Otieno",
        content_type="application/json",
        headers=api._headers(),
    )
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert counts() == before
