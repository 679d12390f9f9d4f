"""A session cookie that names no session (tampered, forged or ended) counts as no session: the
visitor is anonymous, nothing changes, and the refusal is logged."""

import logging

from django.contrib.sessions.models import Session

from okoa.accounts.models import ApiToken


def test_a_tampered_session_cookie_is_treated_as_anonymous(client, cast, caplog):
    client.force_login(cast.caseworker)
    key = client.cookies["sessionid"].value
    client.cookies["sessionid"] = key[:-1] + ("a" if key[-1] != "a" else "b")

    with caplog.at_level(logging.INFO, logger="okoa.security"):
        page = client.get("/cases/")
        token = client.post("/accounts/tokens/", {"name": "Sneaky script"})

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert token["Location"].startswith("/accounts/login/")
    assert not ApiToken.objects.exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [key]
    assert "unknown or expired session cookie refused address=127.0.0.1" in caplog.text
