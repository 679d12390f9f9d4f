"""Caseworkers record, read and change people through the API."""

from okoa.people.models import Person


def test_caseworker_records_a_person_with_reference_codes(cast, api_as, reference):
    response = api_as(cast.caseworker).post(
        "/api/people",
        {
            "given_name": "Chebet",
            "family_name": "Kiplagat",
            "other_names": ["Jeruto"],
            "sex": "female",
            "estimated_age": 17,
            "nationality": "KE",
            "languages": ["sw", "kln"],
            "phone_numbers": ["0722 000 333"],
            "county_of_origin": 1,
            "sub_county_of_origin": 1,
        },
    )
    assert response.status == 201, response.text
    body = response.body
    assert body["full_name"] == "Chebet Jeruto Kiplagat"
    assert (body["nationality"], body["county_of_origin"], body["sub_county_of_origin"]) == (
        "KE",
        1,
        1,
    )
    assert body["birth_year_is_estimated"] is True
    assert body["version"] == 1
    person = Person.objects.get(code=body["code"])
    assert person.organisation == cast.ngo
    assert person.nationality == reference["KE"]
    assert person.created_by == cast.caseworker


def test_caseworker_reads_a_person_with_their_cases(cast, api_as, case, survivor):
    response = api_as(cast.caseworker).get(f"/api/people/{survivor.code}")
    assert response.status == 200
    assert response.body["given_name"] == "Nyokabi"
    assert response.body["passport_number"] == "AK0098765"
    assert response.body["cases"] == [
        {"code": case.code, "reference": case.reference, "status": "open"}
    ]


def test_patch_changes_only_the_fields_sent(cast, api_as, survivor):
    response = api_as(cast.caseworker).patch(
        f"/api/people/{survivor.code}",
        {"version": 1, "family_name": "Gathoni-Mwangi", "nationality": None},
    )
    assert response.status == 200, response.text
    assert response.body["family_name"] == "Gathoni-Mwangi"
    assert response.body["nationality"] is None
    assert response.body["given_name"] == "Nyokabi"
    assert response.body["passport_number"] == "AK0098765"
    assert response.body["version"] == 2
    survivor.refresh_from_db()
    assert (survivor.family_name, survivor.nationality, survivor.version) == (
        "Gathoni-Mwangi",
        None,
        2,
    )


def test_a_dependant_names_its_parent_by_code(cast, api_as, survivor):
    response = api_as(cast.caseworker).post(
        "/api/people",
        {"given_name": "Baraka", "parent": survivor.code, "relationship_to_parent": "child"},
    )
    assert response.status == 201, response.text
    assert response.body["parent"] == survivor.code
    assert Person.objects.get(code=response.body["code"]).parent == survivor


def test_a_person_of_another_organisation_cannot_be_a_parent(cast, api_as, survivor):
    response = api_as(cast.partner_caseworker).post(
        "/api/people",
        {"given_name": "Baraka", "parent": survivor.code, "relationship_to_parent": "child"},
    )
    assert response.status == 400
    assert list(response.body["errors"]) == ["parent"]
