"""Data analysts work with case attributes and never see who the survivor is."""

from okoa.cases.actions import add_case_note, update_case

SECRETS = ("Nyokabi", "Wambugu", "Chelimo", "0722 111 222", "A1234567")


def make_identifiable_case(cast, make_case, places):
    case = make_case(
        given_name="Nyokabi",
        family_name="Wambugu",
        other_names=["Chelimo"],
        phone_numbers=["0722 111 222"],
        passport_number="A1234567",
        county=places.nairobi,
        exploitation_types=(places.forced_labour,),
        assigned_to=cast.caseworker,
    )
    update_case(case, by=cast.caseworker, narrative="Nyokabi left Nairobi in March.")
    add_case_note(case, body="Called Nyokabi Wambugu on 0722 111 222.", by=cast.caseworker)
    return case


def test_analyst_sees_no_name_on_the_home_page_the_case_list_or_the_case_page(
    client, cast, make_case, places
):
    case = make_identifiable_case(cast, make_case, places)
    client.force_login(cast.analyst)

    for url in ("/", "/cases/", f"/cases/{case.code}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in SECRETS:
            assert secret not in html, (url, secret)
    assert case.reference in client.get("/cases/").content.decode()


def test_caseworker_sees_the_names_the_analyst_does_not(client, cast, make_case, places):
    case = make_identifiable_case(cast, make_case, places)
    client.force_login(cast.caseworker)

    assert "Nyokabi" in client.get("/cases/").content.decode()
    assert "Called Nyokabi" in client.get(f"/cases/{case.code}/").content.decode()


def test_person_page_is_404_for_an_analyst(client, cast, make_case, places):
    case = make_identifiable_case(cast, make_case, places)
    client.force_login(cast.analyst)

    assert client.get(f"/people/{case.person.code}/").status_code == 404


def test_analyst_sees_case_counts_on_the_home_page(client, cast, make_case, places):
    make_identifiable_case(cast, make_case, places)
    client.force_login(cast.analyst)

    response = client.get("/")

    assert dict(response.context["counts"])["Open"] == 1
