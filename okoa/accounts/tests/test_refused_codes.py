"""Wrong, expired and reused codes are each refused with a clear message, logged, counted, and
leave nobody signed in."""

import logging
import time

import pytest

from okoa.accounts.models import SignInAttempt

REFUSAL = "This code does not work: it may be mistyped, too old or already used."


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


@pytest.fixture
def at_code_step(client, cast, enrolled, sign_in_with_password):
    sign_in_with_password(client, cast.caseworker.email)
    return client


def assert_refused_and_logged(response, caplog, cast):
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session
    assert SignInAttempt.objects.filter(outcome=SignInAttempt.Outcome.BAD_CODE).count() == 1
    logged = [record.getMessage() for record in caplog.records if record.name == "okoa.security"]
    assert any("bad_code" in line and f"user={cast.caseworker.code}" in line for line in logged)
    assert cast.caseworker.email not in caplog.text


def test_a_wrong_code_is_refused(at_code_step, cast, enrolled, totp_code, caplog):
    right = totp_code(enrolled.device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = at_code_step.post("/accounts/login/code/", {"code": wrong})

    assert_refused_and_logged(response, caplog, cast)


def test_a_code_from_outside_the_allowed_drift_is_refused(
    at_code_step, cast, enrolled, totp_code, caplog
):
    # The app's code from three steps (90 seconds) ago: one step either way is allowed.
    expired = totp_code(enrolled.device, time.time() - 3 * enrolled.device.step)

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = at_code_step.post("/accounts/login/code/", {"code": expired})

    assert_refused_and_logged(response, caplog, cast)


def test_a_code_used_once_is_refused_the_second_time(
    client, cast, enrolled, totp_code, sign_in_with_password, caplog
):
    code = totp_code(enrolled.device)
    sign_in_with_password(client, cast.caseworker.email)
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    SignInAttempt.objects.all().delete()

    sign_in_with_password(client, cast.caseworker.email)
    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = client.post("/accounts/login/code/", {"code": code})

    assert_refused_and_logged(response, caplog, cast)


def test_the_password_step_is_not_enough_to_reach_anything_after_a_wrong_code(
    at_code_step, enrolled
):
    at_code_step.post("/accounts/login/code/", {"code": "000000"})

    assert at_code_step.get("/cases/").status_code == 302
