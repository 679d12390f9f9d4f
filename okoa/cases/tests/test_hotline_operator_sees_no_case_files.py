"""Hotline operators work the intake queue: case files are closed to them."""


def test_hotline_operator_gets_no_case_list_but_an_explanation(client, cast, make_case):
    make_case(given_name="Nyambura")
    client.force_login(cast.operator)

    response = client.get("/cases/")

    assert response.status_code == 403
    assert "does not include case files" in response.content.decode()
    assert "Nyambura" not in response.content.decode()


def test_hotline_operator_home_page_explains_instead_of_listing(client, cast, make_case):
    make_case(given_name="Nyambura", assigned_to=cast.caseworker)
    client.force_login(cast.operator)

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "does not include case files" in html
    assert "Nyambura" not in html
    assert 'href="/cases/"' not in html


def test_hotline_operator_gets_404_on_a_case_page_and_403_on_search(client, cast, make_case):
    case = make_case()
    client.force_login(cast.operator)

    assert client.get(f"/cases/{case.code}/").status_code == 404
    assert client.post("/search/", {"q": "Zawadi"}).status_code == 403
