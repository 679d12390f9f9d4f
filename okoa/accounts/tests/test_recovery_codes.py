"""A recovery code signs in once instead of an app code; new codes replace the old ones, and
only a session signed in with a second factor may make them."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from okoa.accounts.access import recovery_codes_left

RECOVERY_CODE = re.compile(r"<li><code>([a-z2-7]{8})</code></li>")


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


def a_minute_later():
    """After a wrong code, django-otp makes the device wait a moment before the next try."""
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=1)
    )


def test_a_recovery_code_signs_in_once(client, cast, enrolled, sign_in_with_password):
    code = enrolled.recovery_codes[0]
    sign_in_with_password(client, cast.caseworker.email)

    response = client.post("/accounts/login/code/", {"code": code.upper()[:4] + " " + code[4:]})

    assert response.status_code == 302
    assert client.get("/").context["user"].is_verified()
    client.post("/accounts/logout/")
    sign_in_with_password(client, cast.caseworker.email)
    again = client.post("/accounts/login/code/", {"code": code})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session
    with a_minute_later():
        response = client.post("/accounts/login/code/", {"code": enrolled.recovery_codes[1]})
    assert response["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(
    client, cast, enrolled, sign_in_with_password, totp_code
):
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})
    assert (
        "You have 10 unused recovery codes."
        in client.get("/accounts/two-factor/recovery-codes/").content.decode()
    )

    response = client.post("/accounts/two-factor/recovery-codes/")

    new_codes = RECOVERY_CODE.findall(response.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(enrolled.recovery_codes)
    later = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert not RECOVERY_CODE.search(later)
    client.post("/accounts/logout/")
    sign_in_with_password(client, cast.caseworker.email)
    old_code = client.post("/accounts/login/code/", {"code": enrolled.recovery_codes[2]})
    assert old_code.status_code == 200
    with a_minute_later():
        new_code = client.post("/accounts/login/code/", {"code": new_codes[0]})
    assert new_code.status_code == 302


def test_a_session_without_a_second_factor_cannot_make_new_codes(client, cast, enrolled):
    client.force_login(cast.caseworker)  # password only: 2FA is not required in this test

    response = client.post("/accounts/two-factor/recovery-codes/")

    assert response.status_code == 302
    assert recovery_codes_left(cast.caseworker) == 10


def test_a_session_signed_in_with_a_recovery_code_stays_verified_after_making_new_codes(
    client, cast, enrolled, sign_in_with_password
):
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": enrolled.recovery_codes[0]})

    made = client.post("/accounts/two-factor/recovery-codes/")

    assert len(RECOVERY_CODE.findall(made.content.decode())) == 10
    assert client.get("/").context["user"].is_verified()
    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 200
