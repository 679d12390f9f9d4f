"""A user with an authenticator app signs in with a password and then a code; the session gets a
new key at each step, and the password alone opens nothing."""

import pytest

from okoa.accounts.models import SignInAttempt


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


def test_password_and_code_sign_in_with_a_new_session_key(
    client, cast, enrolled, two_factor_required, sign_in_with_password, totp_code
):
    client.session.save()  # a session planted before signing in must not survive it
    planted_key = client.cookies["sessionid"].value

    response = sign_in_with_password(client, cast.caseworker.email)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/"
    pending_key = client.cookies["sessionid"].value
    assert pending_key != planted_key
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.cookies["sessionid"].value not in {planted_key, pending_key}
    user = client.get("/").context["user"]
    assert user == cast.caseworker
    assert user.is_verified()
    assert client.get("/cases/").status_code == 200
    assert SignInAttempt.objects.filter(outcome=SignInAttempt.Outcome.SUCCESS).count() == 1


def test_the_password_alone_opens_nothing(client, cast, enrolled, sign_in_with_password):
    sign_in_with_password(client, cast.caseworker.email)

    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_code_step_asks_for_an_app_or_recovery_code(
    client, cast, enrolled, sign_in_with_password
):
    sign_in_with_password(client, cast.caseworker.email)

    html = client.get("/accounts/login/code/").content.decode()

    assert 'autocomplete="one-time-code"' in html
    assert "recovery codes" in html


def test_sign_in_goes_on_to_the_page_asked_for(
    client, cast, enrolled, sign_in_with_password, totp_code
):
    sign_in_with_password(client, cast.caseworker.email, next="/cases/")

    response = client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    assert response["Location"] == "/cases/"


def test_another_sites_address_is_not_followed(client, cast, sign_in_with_password):
    response = sign_in_with_password(client, cast.caseworker.email, next="https://evil.test/")

    assert response["Location"] == "/"


def test_the_code_step_expires_after_five_minutes(
    client, cast, enrolled, sign_in_with_password, totp_code
):
    sign_in_with_password(client, cast.caseworker.email)
    session = client.session
    session["okoa_pending_at"] -= 5 * 60 + 1
    session.save()

    response = client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert "took too long" in client.get("/accounts/login/").content.decode()


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client, db):
    response = client.post("/accounts/login/code/", {"code": "123456"})

    assert response["Location"] == "/accounts/login/"
