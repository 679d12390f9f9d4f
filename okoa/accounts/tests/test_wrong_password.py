"""A wrong password or an unknown address gets the same refusal, is logged without the email
address or the password, and creates no session."""

import logging

from django.contrib.sessions.models import Session

from okoa.accounts.models import SignInAttempt

REFUSAL = "The email address or the password is not right."


def test_a_wrong_password_is_refused_logged_and_creates_no_session(
    client, cast, sign_in_with_password, caplog
):
    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = sign_in_with_password(client, cast.caseworker.email, "not my password")

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert not Session.objects.exists()
    assert SignInAttempt.objects.get().outcome == SignInAttempt.Outcome.BAD_PASSWORD
    assert f"bad_password user={cast.caseworker.code} address=127.0.0.1" in caplog.text
    assert "not my password" not in caplog.text
    assert cast.caseworker.email not in caplog.text


def test_an_unknown_address_gets_the_same_refusal_and_only_its_digest_is_kept(
    client, db, sign_in_with_password, caplog
):
    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = sign_in_with_password(client, "nobody@nowhere.test", "any password")

    assert REFUSAL in response.content.decode()
    assert "nobody@nowhere.test" not in caplog.text
    assert "bad_password email_digest=" in caplog.text
    attempt = SignInAttempt.objects.get()
    assert "nobody" not in attempt.email_digest
    assert len(attempt.email_digest) == 64
