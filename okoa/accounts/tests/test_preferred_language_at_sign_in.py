"""Signing in switches the interface to the user's preferred language, unless a language was
chosen on this browser (for example on the sign-in page)."""

import pytest

from conftest import PASSWORD
from okoa.accounts.actions import create_user
from okoa.accounts.models import Membership


@pytest.fixture
def kiswahili_speaker(cast):
    return create_user(
        email="wanjiku@tumaini.test",
        full_name="Wanjiku Mwikali",
        password=PASSWORD,
        organisation=cast.ngo,
        role=Membership.Role.CASEWORKER,
        preferred_language="sw",
    )


def test_signing_in_applies_the_preferred_language(
    client, kiswahili_speaker, sign_in_with_password
):
    response = sign_in_with_password(client, kiswahili_speaker.email)

    assert response.cookies["django_language"].value == "sw"
    assert '<html lang="sw"' in client.get("/").content.decode()


def test_a_language_chosen_on_the_sign_in_page_wins(
    client, kiswahili_speaker, sign_in_with_password
):
    client.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER="/accounts/login/")

    response = sign_in_with_password(client, kiswahili_speaker.email)

    assert "django_language" not in response.cookies
    assert '<html lang="en"' in client.get("/").content.decode()


def test_the_language_is_applied_after_the_code_step_too(
    client, kiswahili_speaker, enrol, sign_in_with_password, totp_code
):
    enrolled = enrol(kiswahili_speaker)
    sign_in_with_password(client, kiswahili_speaker.email)

    response = client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    assert response.cookies["django_language"].value == "sw"
