"""An edit based on an outdated copy of a person's details is refused and changes nothing."""

from okoa.people.actions import update_person


def edit_data(person, **changes):
    data = {
        "version": person.version,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": person.sex,
        "disability": person.disability,
        "phone_numbers": "\n".join(person.phone_numbers),
    }
    return {**data, **changes}


def test_edit_with_a_stale_version_is_refused_with_a_message(client, cast, survivor):
    client.force_login(cast.caseworker)
    seen = client.get(f"/people/{survivor.code}/edit/").context["form"].initial["version"]
    update_person(survivor, by=cast.supervisor, family_name="Kariuki-Mwangi")

    response = client.post(
        f"/people/{survivor.code}/edit/",
        edit_data(survivor, version=seen, family_name="Karyuki", given_name="Makena W."),
    )

    assert response.status_code == 400
    assert "Somebody else saved this person" in response.content.decode()
    survivor.refresh_from_db()
    assert survivor.family_name == "Kariuki-Mwangi"
    assert survivor.given_name == "Makena"


def test_edit_with_the_current_version_is_saved(client, cast, survivor):
    client.force_login(cast.caseworker)

    response = client.post(
        f"/people/{survivor.code}/edit/", edit_data(survivor, family_name="Kariuki-Mwangi")
    )

    assert response.status_code == 302
    survivor.refresh_from_db()
    assert survivor.family_name == "Kariuki-Mwangi"
    assert survivor.version == 2


def test_saving_an_unchanged_form_changes_nothing(client, cast, survivor):
    client.force_login(cast.caseworker)

    client.post(f"/people/{survivor.code}/edit/", edit_data(survivor))

    survivor.refresh_from_db()
    assert survivor.version == 1


def test_a_future_date_of_birth_is_refused_on_the_field(client, cast, survivor):
    client.force_login(cast.caseworker)

    response = client.post(
        f"/people/{survivor.code}/edit/", edit_data(survivor, date_of_birth="2999-01-01")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["date_of_birth"]
    survivor.refresh_from_db()
    assert survivor.date_of_birth is None
