"""The case list filters on copies of the survivor's sex and county kept on the case: a change
to the person moves their cases to the new values at once."""

from okoa.cases.actions import open_case
from okoa.cases.models import Case
from okoa.people.actions import update_person


def shown(client, query):
    response = client.get("/cases/", query)
    assert response.status_code == 200
    return {case.reference for case in response.context["cases"]}


def test_a_new_case_carries_the_survivors_sex_and_county(cast, make_case, places):
    case = make_case(sex="male", county=places.mombasa)

    case.refresh_from_db()
    assert (case.survivor_sex, case.survivor_county) == ("male", places.mombasa)


def test_a_case_is_found_under_the_survivors_new_county_and_sex(client, cast, make_case, places):
    case = make_case(sex="unknown", county=places.mombasa)
    client.force_login(cast.caseworker)

    update_person(case.person, by=cast.caseworker, sex="female", county_of_origin=places.nairobi)

    assert shown(client, {"county": "47", "sex": "female"}) == {case.reference}
    assert shown(client, {"county": "1"}) == set()
    assert shown(client, {"sex": "unknown"}) == set()


def test_every_case_of_the_person_follows_and_other_people_stay(cast, make_case, places):
    first = make_case(given_name="Amani", sex="female", county=places.mombasa)
    second = make_case(given_name="Baraka", sex="male", county=places.mombasa)
    again = open_case(first.person, by=cast.caseworker)
    update_person(first.person, by=cast.caseworker, county_of_origin=None)

    counties = dict(Case.objects.values_list("pk", "survivor_county"))
    assert counties[first.pk] is None
    assert counties[again.pk] is None
    assert counties[second.pk] == places.mombasa.pk
