"""Caseworkers open, read, change and move cases through the API."""

from okoa.cases.models import Case, CaseEvent
from okoa.people.models import Person

DETAILS = {
    "scope": "transnational",
    "trafficking_status": "PossibleVictimOfTrafficking",
    "countries_of_origin": ["KE"],
    "countries_of_exploitation": ["SA"],
    "exploitation_types": ["ForcedLabour"],
    "labour_industries": ["T_ActivitiesOfHouseholdsAsEmployers"],
    "methods_of_control": ["DebtBondage"],
    "recruitment_type": "ThroughAnOnlineAdvertisement",
    "recruited_on": "2025-01-10",
    "exploitation_began_on": "2025-02-01",
    "narrative": "Promised hotel work; passport taken on arrival.",
}


def test_caseworker_opens_a_case_for_a_recorded_person(cast, api_as, survivor):
    response = api_as(cast.caseworker).post(
        "/api/cases", {"person": survivor.code, "assigned_to": cast.caseworker.code, **DETAILS}
    )
    assert response.status == 201, response.text
    body = response.body
    assert body["reference"].startswith("TUM-")
    assert body["person"] == {"code": survivor.code, "full_name": "Nyokabi Wairimu Gathoni"}
    assert body["assigned_to"]["code"] == cast.caseworker.code
    for field in (
        "scope",
        "trafficking_status",
        "countries_of_origin",
        "countries_of_exploitation",
        "exploitation_types",
        "labour_industries",
        "methods_of_control",
        "recruitment_type",
        "recruited_on",
        "narrative",
    ):
        assert body[field] == DETAILS[field], field
    case = Case.objects.get(code=body["code"])
    assert case.person == survivor
    assert case.events.filter(kind=CaseEvent.Kind.OPENED).exists()


def test_caseworker_opens_a_case_with_a_new_person_in_one_request(cast, api_as, reference):
    response = api_as(cast.caseworker).post(
        "/api/cases",
        {"new_person": {"given_name": "Auma", "family_name": "Owino", "sex": "female"}, **DETAILS},
    )
    assert response.status == 201, response.text
    person = Person.objects.get(code=response.body["person"]["code"])
    assert (person.full_name, person.organisation) == ("Auma Owino", cast.ngo)


def test_a_case_needs_exactly_one_of_person_and_new_person(cast, api_as, survivor):
    api = api_as(cast.caseworker)
    neither = api.post("/api/cases", {"narrative": "x"})
    both = api.post("/api/cases", {"person": survivor.code, "new_person": {"given_name": "Auma"}})
    assert neither.status == both.status == 422
    assert Case.objects.count() == 0


def test_caseworker_reads_a_case(cast, api_as, case):
    response = api_as(cast.caseworker).get(f"/api/cases/{case.code}")
    assert response.status == 200
    assert response.body["narrative"] == "Recruited by Zawadi Mutheu for domestic work in Riyadh."
    assert response.body["countries_of_exploitation"] == ["SA"]


def test_patch_changes_only_the_details_sent(cast, api_as, case):
    response = api_as(cast.caseworker).patch(
        f"/api/cases/{case.code}",
        {"version": 1, "exploitation_types": ["ForcedLabour", "SexualExploitation"]},
    )
    assert response.status == 200, response.text
    assert response.body["exploitation_types"] == ["ForcedLabour", "SexualExploitation"]
    assert response.body["countries_of_exploitation"] == ["SA"]
    assert response.body["version"] == 2
    case.refresh_from_db()
    assert case.version == 2


def test_status_moves_along_the_lifecycle_with_a_reason(cast, api_as, case):
    response = api_as(cast.supervisor).post(
        f"/api/cases/{case.code}/status", {"to": "in_care", "reason": "Placed in the shelter."}
    )
    assert response.status == 200, response.text
    assert response.body["status"] == "in_care"
    event = case.events.get(kind=CaseEvent.Kind.STATUS_CHANGED)
    assert event.data == {"previous": "open", "to": "in_care"}
    assert event.text == "Placed in the shelter."


def test_a_move_the_lifecycle_forbids_is_a_400_naming_to(cast, api_as, case):
    api = api_as(cast.caseworker)
    assert api.post(f"/api/cases/{case.code}/status", {"to": "in_care"}).status == 200
    response = api.post(f"/api/cases/{case.code}/status", {"to": "closed"})
    assert response.status == 400
    assert list(response.body["errors"]) == ["to"]
    case.refresh_from_db()
    assert case.status == Case.Status.IN_CARE


def test_an_unknown_status_is_a_422(cast, api_as, case):
    response = api_as(cast.caseworker).post(f"/api/cases/{case.code}/status", {"to": "archived"})
    assert response.status == 422
    assert response.body["detail"][0]["loc"][-1] == "to"
