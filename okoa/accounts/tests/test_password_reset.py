"""A password reset by email link never signs anybody in: the second factor is still asked."""

import logging
import re

import pytest
from django.core import mail

NEW_PASSWORD = "a fresh passphrase from the link 8"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


def emailed_link() -> str:
    match = LINK.search(str(mail.outbox[0].body))
    assert match is not None
    return match.group(1)


def reset_by_email(client, email):
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response["Location"] == "/accounts/password/reset/sent/"
    return response


def test_a_reset_does_not_sign_in_and_the_code_is_still_asked(
    client, cast, enrolled, two_factor_required, sign_in_with_password, caplog
):
    reset_by_email(client, cast.caseworker.email)
    assert len(mail.outbox) == 1
    link = emailed_link()
    assert f"/reset/{cast.caseworker.code}/" in link  # the account's opaque code, not its id

    form_page = client.get(link)
    assert form_page.status_code == 302  # the token moves into the session, out of the URL
    with caplog.at_level(logging.INFO, logger="okoa.security"):
        done = client.post(
            form_page["Location"],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    assert done["Location"] == "/accounts/password/reset/done/"
    assert "_auth_user_id" not in client.session
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")
    assert f"password reset by email link user={cast.caseworker.code}" in caplog.text
    response = sign_in_with_password(client, cast.caseworker.email, NEW_PASSWORD)
    assert response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, db):
    reset_by_email(client, "nobody@tumaini.test")

    assert mail.outbox == []


def test_a_used_link_does_not_work_again(client, cast):
    reset_by_email(client, cast.caseworker.email)
    link = emailed_link()
    form_page = client.get(link)
    client.post(
        form_page["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = client.get(link)

    assert again.status_code == 200
    assert "This link does not work" in again.content.decode()


def test_reset_emails_for_one_address_are_limited(client, cast, caplog):
    for _ in range(4):
        reset_by_email(client, cast.caseworker.email)

    assert len(mail.outbox) == 3
