"""Another organisation's records look exactly like records that do not exist."""

from okoa.cases.models import Case
from okoa.people.models import Person

MADE_UP_CODE = "AAAAAAAAAAAAAAAA"


def test_other_organisation_gets_the_same_404_as_a_missing_case(cast, api_as, case):
    partner = api_as(cast.partner_caseworker)
    theirs = partner.get(f"/api/cases/{case.code}")
    missing = partner.get(f"/api/cases/{MADE_UP_CODE}")
    assert theirs.status == missing.status == 404
    assert theirs.text == missing.text


def test_other_organisation_gets_the_same_404_as_a_missing_person(cast, api_as, survivor):
    partner = api_as(cast.partner_caseworker)
    theirs = partner.get(f"/api/people/{survivor.code}")
    missing = partner.get(f"/api/people/{MADE_UP_CODE}")
    assert theirs.status == missing.status == 404
    assert theirs.text == missing.text


def test_other_organisation_cannot_change_a_case_or_a_person(cast, api_as, case, survivor):
    partner = api_as(cast.partner_caseworker)
    assert partner.patch(f"/api/cases/{case.code}", {"version": 1, "narrative": "x"}).status == 404
    assert partner.post(f"/api/cases/{case.code}/status", {"to": "closed"}).status == 404
    assert (
        partner.patch(f"/api/people/{survivor.code}", {"version": 1, "sex": "male"}).status == 404
    )
    case.refresh_from_db()
    survivor.refresh_from_db()
    assert (case.version, case.status, survivor.version) == (1, Case.Status.OPEN, 1)


def test_other_organisation_lists_and_searches_nothing_of_ours(cast, api_as, case, survivor):
    partner = api_as(cast.partner_caseworker)
    assert partner.get("/api/cases").body["items"] == []
    assert partner.get("/api/people").body["items"] == []
    assert partner.post("/api/people/search", {"query": "Nyokabi Gathoni"}).body["items"] == []


def test_other_organisation_cannot_open_a_case_for_our_person(cast, api_as, survivor):
    partner = api_as(cast.partner_caseworker)
    response = partner.post("/api/cases", {"person": survivor.code})
    assert response.status == 400
    assert list(response.body["errors"]) == ["person"]
    assert Case.objects.count() == 0
    assert Person.objects.filter(organisation=cast.partner).count() == 0
