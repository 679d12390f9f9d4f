"""Repeated failures lock sign-in: five for one email address or thirty from one network address
within 15 minutes. The lock is checked before the password, logged, and says nothing about
whether the account exists."""

import logging
from datetime import timedelta
from unittest import mock

from django.utils import timezone

from conftest import PASSWORD
from okoa.accounts.models import SignInAttempt

LOCKED = "Too many failed attempts to sign in."


def fail(client, sign_in_with_password, email, times):
    for _ in range(times):
        sign_in_with_password(client, email, "wrong password")


def test_five_wrong_passwords_lock_the_address_even_against_the_right_one(
    client, cast, sign_in_with_password, caplog
):
    fail(client, sign_in_with_password, cast.caseworker.email, 5)

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = sign_in_with_password(client, cast.caseworker.email, PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert f"sign-in refused: locked user={cast.caseworker.code}" in caplog.text
    assert SignInAttempt.objects.filter(outcome=SignInAttempt.Outcome.LOCKED).count() == 1


def test_the_lock_message_is_the_same_for_an_account_and_an_unknown_address(
    client, cast, sign_in_with_password
):
    fail(client, sign_in_with_password, cast.caseworker.email, 5)
    fail(client, sign_in_with_password, "nobody@tumaini.test", 5)

    known = sign_in_with_password(client, cast.caseworker.email, "wrong password")
    unknown = sign_in_with_password(client, "nobody@tumaini.test", "wrong password")

    assert LOCKED in known.content.decode()
    assert known.status_code == unknown.status_code
    assert known.context["form"].errors == unknown.context["form"].errors


def test_other_accounts_are_not_locked_by_one_accounts_failures(
    client, cast, sign_in_with_password
):
    fail(client, sign_in_with_password, cast.caseworker.email, 5)

    response = sign_in_with_password(client, cast.supervisor.email, PASSWORD)

    assert response.status_code == 302


def test_the_lock_ends_when_the_failures_are_15_minutes_old(client, cast, sign_in_with_password):
    fail(client, sign_in_with_password, cast.caseworker.email, 5)

    later = timezone.now() + timedelta(minutes=15, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = sign_in_with_password(client, cast.caseworker.email, PASSWORD)

    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_failures_of_the_email_address(
    client, cast, sign_in_with_password
):
    fail(client, sign_in_with_password, cast.caseworker.email, 4)
    assert sign_in_with_password(client, cast.caseworker.email, PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    fail(client, sign_in_with_password, cast.caseworker.email, 1)
    response = sign_in_with_password(client, cast.caseworker.email, PASSWORD)

    assert response.status_code == 302


def test_thirty_failures_from_one_network_address_lock_it_for_every_account(
    client, cast, sign_in_with_password, caplog
):
    for number in range(30):
        sign_in_with_password(client, f"guess{number}@tumaini.test", "wrong password")

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = sign_in_with_password(client, cast.supervisor.email, PASSWORD)
    elsewhere = sign_in_with_password(
        client, cast.supervisor.email, PASSWORD, REMOTE_ADDR="192.0.2.8"
    )

    assert LOCKED in response.content.decode()
    assert "address=127.0.0.1" in caplog.text
    assert elsewhere.status_code == 302


def test_wrong_codes_count_towards_the_lock(client, cast, enrol, sign_in_with_password, totp_code):
    enrolled = enrol(cast.caseworker)
    sign_in_with_password(client, cast.caseworker.email)
    for _ in range(5):
        client.post("/accounts/login/code/", {"code": "000000"})

    response = client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
