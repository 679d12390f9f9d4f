"""The API's search takes the same optional details as the page: a year of birth, a county."""

import datetime

from okoa.people.actions import create_person


def test_year_and_county_pick_one_namesake_and_bad_details_are_explained(cast, api_as, places):
    for year, county in [(1990, places.nairobi), (1994, places.mombasa), (2001, places.nairobi)]:
        create_person(
            cast.ngo,
            by=cast.caseworker,
            given_name="Fatuma",
            family_name="Mohamed",
            date_of_birth=datetime.date(year, 1, 15),
            county_of_origin=county,
        )
    api = api_as(cast.caseworker)

    def years(**body):
        response = api.post("/api/people/search", {"query": "Fatuma Mohammed", **body})
        assert response.status == 200, response.body
        return [item["birth_year"] for item in response.body["items"]]

    assert sorted(years()) == [1990, 1994, 2001]
    assert years(born=1995) == [1994]
    assert years(county=47) == [2001, 1990]
    assert years(county=47, born=1993) == []

    unknown = api.post("/api/people/search", {"query": "Fatuma", "county": 48})
    assert unknown.status in (400, 422) and "county" in str(unknown.body)
    too_old = api.post("/api/people/search", {"query": "Fatuma", "born": 1066})
    assert too_old.status in (400, 422) and "born" in str(too_old.body)
