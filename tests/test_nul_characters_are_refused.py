"""NUL characters get a clear 400 everywhere (PostgreSQL would otherwise answer 500)."""

import pytest
from django.urls import reverse

from okoa.people.models import Person


@pytest.mark.parametrize("parameter", ["after", "status", "county"])
def test_a_nul_in_a_query_string_is_refused(client, cast, parameter):
    client.force_login(cast.caseworker)
    response = client.get(reverse("cases:list"), {parameter: "abc\x00def"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_path_is_refused(client, cast):
    client.force_login(cast.caseworker)
    assert client.get("/cases/abc%00def/").status_code == 400


def test_a_nul_in_a_form_is_refused_and_nothing_is_saved(client, cast):
    client.force_login(cast.caseworker)
    response = client.post(reverse("cases:new"), {"person-given_name": "Nuru\x00"})
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_nul_in_a_json_body_is_refused(client, cast):
    from okoa.accounts.actions import issue_api_token

    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="nul")
    response = client.post(
        "/api/people",
        '{"given_name": "Nuru\\u0000"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_ordinary_requests_pass(client, cast):
    client.force_login(cast.caseworker)
    assert client.get(reverse("cases:list"), {"status": "open"}).status_code == 200


@pytest.mark.parametrize("body", [b"narrative=help%00me", b"narrative=help\x00me"])
@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded; charset=utf-8"],
)
def test_a_nul_in_a_url_encoded_form_is_refused(client, body, content_type):
    response = client.post(reverse("intake:public_report"), body, content_type=content_type)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_percent_sign_typed_before_two_zeros_is_not_a_nul(client, db):
    # "100%00" typed in a form is sent as 100%2500: no NUL, the form is read as usual.
    response = client.post(
        reverse("intake:public_report"),
        b"narrative=100%2500",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400  # the form's own errors: no phone, no consent ...
    assert "NUL" not in response.content.decode()
    assert "100%00" in response.content.decode()  # ... and what was typed comes back
