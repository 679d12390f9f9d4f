"""A person's file: shown to roles that see identities, with an access record for every view."""

from okoa.audit.models import AccessRecord
from okoa.people.actions import create_person
from okoa.people.models import Person


def test_person_page_shows_the_details_and_leaves_an_access_record(client, cast, survivor):
    client.force_login(cast.caseworker)

    response = client.get(f"/people/{survivor.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Makena Kariuki" in html
    assert "0701 234 567" in html
    assert AccessRecord.objects.filter(
        user=cast.caseworker, record_kind="person", record_code=survivor.code, channel="page"
    ).exists()


def test_person_page_lists_dependants(client, cast, survivor):
    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Baraka",
        parent=survivor,
        relationship_to_parent="child",
    )
    client.force_login(cast.caseworker)

    html = client.get(f"/people/{survivor.code}/").content.decode()

    assert f'href="/people/{child.code}/"' in html
    assert "Baraka" in html


def test_a_person_is_recorded_through_the_form(client, cast):
    client.force_login(cast.caseworker)

    response = client.post(
        "/people/new/",
        {
            "given_name": "Nafula",
            "family_name": "Wekesa",
            "sex": "female",
            "disability": "unknown",
            "languages": ["luy", "sw"],
            "nationality": "KE",
        },
    )

    person = Person.objects.get()
    assert response["Location"] == f"/people/{person.code}/"
    assert person.full_name == "Nafula Wekesa"
    assert person.languages == ["luy", "sw"]
    assert person.nationality is not None
    assert person.nationality.code == "KE"


def test_a_dependant_is_added_with_the_relationship(client, cast, survivor):
    client.force_login(cast.caseworker)

    response = client.post(
        f"/people/{survivor.code}/dependants/new/",
        {
            "given_name": "Imani",
            "sex": "female",
            "disability": "none",
            "relationship_to_parent": "child",
            "estimated_age": "4",
        },
    )

    assert response.status_code == 302
    dependant = survivor.dependants.get()
    assert dependant.given_name == "Imani"
    assert dependant.relationship_to_parent == "child"
    assert dependant.birth_year_is_estimated


def test_a_dependant_without_a_relationship_is_refused(client, cast, survivor):
    client.force_login(cast.caseworker)

    response = client.post(
        f"/people/{survivor.code}/dependants/new/",
        {"given_name": "Imani", "sex": "female", "disability": "none"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["relationship_to_parent"]
    assert not survivor.dependants.exists()


def test_analyst_and_operator_get_404_on_a_person_page(client, cast, survivor):
    for user in (cast.analyst, cast.operator):
        client.force_login(user)
        assert client.get(f"/people/{survivor.code}/").status_code == 404
