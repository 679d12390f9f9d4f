"""'New case' records the survivor and opens the case in one step: both are saved, or neither."""

import datetime

import pytest
from django.utils import timezone

from okoa.cases.models import Case
from okoa.people.models import Person


@pytest.fixture
def form_data(cast, places):
    return {
        "person-given_name": "Wairimu",
        "person-family_name": "Njoroge",
        "person-other_names": "Shiru\nWairimu N.",
        "person-sex": "female",
        "person-date_of_birth": "2001-04-09",
        "person-nationality": "KE",
        "person-languages": ["sw", "kik"],
        "person-phone_numbers": "0711 222 333",
        "person-county_of_origin": "1",
        "person-sub_county_of_origin": "1",
        "person-disability": "none",
        "case-assigned_to": cast.caseworker.code,
        "case-identified_on": "2026-01-15",
        "case-scope": "transnational",
        "case-countries_of_origin": ["KE"],
        "case-countries_of_exploitation": ["UG"],
        "case-exploitation_types": ["ForcedLabour"],
        "case-narrative": "Recruited for hotel work.",
    }


def counts():
    return Person.objects.count(), Case.objects.count()


def test_new_case_form_records_the_person_and_opens_the_case(client, cast, places, form_data):
    client.force_login(cast.caseworker)

    response = client.post("/cases/new/", form_data)

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.code}/"
    person = case.person
    assert person.full_name == "Wairimu Shiru Wairimu N. Njoroge"
    assert person.date_of_birth == datetime.date(2001, 4, 9)
    assert person.languages == ["sw", "kik"]
    assert person.phone_numbers == ["0711 222 333"]
    assert person.sub_county_of_origin == places.changamwe
    assert case.assigned_to == cast.caseworker
    assert list(case.exploitation_types.all()) == [places.forced_labour]
    assert list(case.countries_of_exploitation.all()) == [places.uganda]
    assert case.narrative == "Recruited for hotel work."


def test_new_case_form_takes_an_estimated_age_instead_of_a_date_of_birth(
    client, cast, places, form_data
):
    client.force_login(cast.caseworker)
    form_data.pop("person-date_of_birth")

    client.post("/cases/new/", {**form_data, "person-estimated_age": "16"})

    person = Person.objects.get()
    assert person.birth_year == timezone.localdate().year - 16
    assert person.birth_year_is_estimated


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person-date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"person-county_of_origin": "47"}, "sub_county_of_origin"),  # Changamwe is in Mombasa
        ({"person-given_name": ""}, "given_name"),
        ({"person-estimated_age": "30"}, "estimated_age"),  # and a date of birth
    ],
)
def test_bad_personal_details_show_a_field_error_and_save_nothing(
    client, cast, places, form_data, change, field
):
    client.force_login(cast.caseworker)
    before = counts()

    response = client.post("/cases/new/", {**form_data, **change})

    assert response.status_code == 400
    assert response.context["person_form"].errors[field]
    html = response.content.decode()
    assert f'id="id_person-{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert counts() == before


def test_a_bad_case_detail_after_a_good_person_saves_neither(client, cast, places, form_data):
    client.force_login(cast.caseworker)
    before = counts()

    # The person is valid and created first; the case's date is refused by open_case.
    response = client.post("/cases/new/", {**form_data, "case-identified_on": "2999-01-01"})

    assert response.status_code == 400
    assert response.context["case_form"].errors["identified_on"]
    assert counts() == before


def test_the_form_comes_back_with_what_was_typed(client, cast, places, form_data):
    client.force_login(cast.caseworker)

    response = client.post("/cases/new/", {**form_data, "person-date_of_birth": "2999-01-01"})

    html = response.content.decode()
    assert 'value="Njoroge"' in html
    assert "Recruited for hotel work." in html


def test_analyst_cannot_open_a_case(client, cast, places, form_data):
    client.force_login(cast.analyst)

    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", form_data).status_code == 403
    assert counts() == (0, 0)
