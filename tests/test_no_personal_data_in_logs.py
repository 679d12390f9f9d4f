"""Nothing a survivor could be identified by reaches the logs, whatever happens: sign-in
failures, forms with errors, searches, API calls with bad input, refused access."""

import logging

import pytest
from django.urls import reverse

from okoa.accounts.actions import issue_api_token

NAME, FAMILY, PHONE, PASSPORT = "Wambui", "Gathoni", "0733445566", "AB7766554"


@pytest.fixture
def everything_logged(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_busy_session_logs_no_name_phone_or_document(client, cast, make_case, everything_logged):
    case = make_case(
        given_name=NAME, family_name=FAMILY, phone_numbers=[PHONE], passport_number=PASSPORT
    )
    client.post(reverse("accounts:login"), {"username": cast.caseworker.email, "password": "x"})
    client.force_login(cast.caseworker)
    client.post(
        reverse("cases:new"),
        {
            "person-given_name": NAME,
            "person-family_name": FAMILY,
            "person-date_of_birth": "2999-01-01",
            "person-phone_numbers": "not a phone " + PHONE,
        },
    )
    client.post(reverse("cases:search"), {"q": f"{NAME} {FAMILY}"})
    client.post(reverse("cases:search"), {"q": PHONE})
    client.force_login(cast.partner_caseworker)
    client.get(reverse("cases:detail", args=[case.code]))
    _token, secret = issue_api_token(cast.membership(cast.caseworker), name="logs")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.post("/api/people/search", {"query": NAME}, content_type="application/json", **auth)
    client.post(
        "/api/people",
        {"given_name": NAME, "phone_numbers": [PHONE], "date_of_birth": "yesterday"},
        content_type="application/json",
        **auth,
    )
    client.get("/api/people", HTTP_AUTHORIZATION=f"Token {NAME}")
    logged = "\n".join(
        record.getMessage() + repr(record.args) + repr(getattr(record, "request", ""))
        for record in everything_logged.records
    )
    # The capture works: at least the failed sign-in was logged.
    assert "okoa.security" in {record.name for record in everything_logged.records}
    for secret_value in (NAME, FAMILY, PHONE, "733445566", PASSPORT):
        assert secret_value not in logged, secret_value
