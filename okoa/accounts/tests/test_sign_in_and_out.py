"""Signing in takes an email address and a password; signing out takes a POST."""

from conftest import PASSWORD


def test_member_signs_in_with_an_email_address_in_any_case(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "Caseworker@Tumaini.test", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == cast.caseworker


def test_a_wrong_password_shows_the_form_again(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "caseworker@tumaini.test", "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors


def test_pages_send_a_visitor_to_sign_in(client):
    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signing_out_takes_a_post(client, cast):
    client.force_login(cast.caseworker)

    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")

    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
