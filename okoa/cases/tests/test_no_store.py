"""Pages with personal data tell browsers and proxies to keep no copy."""

import pytest


@pytest.mark.parametrize("page", ["/", "/cases/", "/cases/{case}/", "/people/{person}/"])
def test_pages_for_a_signed_in_member_are_not_stored(client, cast, make_case, page):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.get(page.format(case=case.code, person=case.person.code))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_search_results_are_not_stored(client, cast, make_case):
    make_case()
    client.force_login(cast.caseworker)

    response = client.post("/search/", {"q": "Zawadi"})

    assert "no-store" in response["Cache-Control"]
