"""Changing one's password keeps this session and signs out every other one; it is logged."""

import logging

from django.test import Client

from conftest import PASSWORD
from okoa.accounts.models import SignInAttempt

NEW_PASSWORD = "a brand new passphrase 31"


def test_changing_the_password_signs_out_every_other_session(cast, caplog):
    here, elsewhere = Client(), Client()
    here.force_login(cast.caseworker)
    elsewhere.force_login(cast.caseworker)
    old_key = here.cookies["sessionid"].value

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        response = here.post(
            "/accounts/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )

    assert response.status_code == 302
    assert here.get("/cases/").status_code == 200
    assert here.cookies["sessionid"].value != old_key
    assert elsewhere.get("/cases/")["Location"].startswith("/accounts/login/")
    assert f"password changed user={cast.caseworker.code}" in caplog.text
    assert NEW_PASSWORD not in caplog.text
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failure(client, cast):
    client.force_login(cast.caseworker)

    response = client.post(
        "/accounts/password/",
        {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 400
    cast.caseworker.refresh_from_db()
    assert cast.caseworker.check_password(PASSWORD)
    assert SignInAttempt.objects.get().outcome == SignInAttempt.Outcome.BAD_PASSWORD
