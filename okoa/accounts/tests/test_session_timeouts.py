"""Sessions end after 30 minutes without activity and 12 hours after signing in, with a clear
message on the sign-in page."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from okoa.accounts.middleware import SIGNED_IN_AT


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_an_idle_session_is_signed_out(client, cast, sign_in_with_password):
    start = timezone.now()
    with at(start):
        sign_in_with_password(client, cast.caseworker.email)

    with at(start + timedelta(minutes=30, seconds=1)):
        response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/"
    assert "_auth_user_id" not in client.session
    assert "after a time without activity" in client.get(response["Location"]).content.decode()


def test_activity_keeps_a_session_open(client, cast, sign_in_with_password):
    start = timezone.now()
    with at(start):
        sign_in_with_password(client, cast.caseworker.email)

    for minutes in (20, 40, 60):
        with at(start + timedelta(minutes=minutes)):
            assert client.get("/cases/").status_code == 200


def test_a_session_ends_12_hours_after_signing_in_however_busy(client, cast):
    client.force_login(cast.caseworker)
    assert client.get("/cases/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] -= 12 * 60 * 60 + 1
    session.save()

    response = client.get("/cases/")

    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert "signed in a long time ago" in client.get(response["Location"]).content.decode()


def test_the_idle_timeout_follows_the_setting(client, cast, settings, sign_in_with_password):
    settings.OKOA_IDLE_TIMEOUT_SECONDS = 5 * 60
    start = timezone.now()
    with at(start):
        sign_in_with_password(client, cast.caseworker.email)

    with at(start + timedelta(minutes=6)):
        assert client.get("/cases/").status_code == 302


def test_an_htmx_request_after_the_timeout_sends_the_whole_page_to_sign_in(
    client, cast, sign_in_with_password
):
    start = timezone.now()
    with at(start):
        sign_in_with_password(client, cast.caseworker.email)

    with at(start + timedelta(hours=1)):
        response = client.get("/cases/", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/"
