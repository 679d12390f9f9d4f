"""Only a usable personal API token opens the API; a browser session does not."""

import datetime

import pytest
from django.utils import timezone

from conftest import PASSWORD
from okoa.accounts.actions import issue_api_token, revoke_api_token
from okoa.api.tests.conftest import ApiClient


def test_a_valid_token_is_accepted(cast, api_as):
    assert api_as(cast.caseworker).get("/api/cases").status == 200


@pytest.mark.parametrize("path", ["/api/cases", "/api/people"])
def test_a_request_without_a_token_gets_401_json(cast, path):
    response = ApiClient(None).get(path)
    assert response.status == 401
    assert set(response.body) == {"detail"}


def test_a_wrong_token_gets_401(cast, api_as):
    api_as(cast.caseworker)
    assert ApiClient("okoa_not-a-real-token").get("/api/cases").status == 401


def test_a_revoked_token_gets_401(cast):
    token, secret = issue_api_token(cast.membership(cast.caseworker), name="laptop")
    revoke_api_token(token)
    assert ApiClient(secret).get("/api/cases").status == 401


def test_an_expired_token_gets_401(cast):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    _token, secret = issue_api_token(
        cast.membership(cast.caseworker), name="old", expires_at=yesterday
    )
    assert ApiClient(secret).get("/api/cases").status == 401


def test_a_token_of_a_deactivated_membership_gets_401(cast):
    membership = cast.membership(cast.caseworker)
    _token, secret = issue_api_token(membership, name="laptop")
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    assert ApiClient(secret).get("/api/cases").status == 401


def test_the_token_must_come_with_the_bearer_scheme(cast, client):
    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="laptop")
    response = client.get("/api/cases", headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_signed_in_browser_session_is_not_enough(cast, client):
    assert client.login(email=cast.caseworker.email, password=PASSWORD)
    assert client.get("/api/cases").status_code == 401
    assert client.post("/api/people/search", {"query": "x"}, "application/json").status_code == 401


def test_writes_with_a_token_need_no_csrf_token(cast, reference):
    from django.test import Client

    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="laptop")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/people",
        {"given_name": "Muthoni"},
        "application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201
