"""The OpenAPI schema is public JSON that lists every endpoint; the docs are for development."""

import json

import pytest

EXPECTED_OPERATIONS = {
    ("/api/people", "get"): "list_people",
    ("/api/people", "post"): "create_person",
    ("/api/people/search", "post"): "search_people",
    ("/api/people/{code}", "get"): "get_person",
    ("/api/people/{code}", "patch"): "update_person",
    ("/api/cases", "get"): "list_cases",
    ("/api/cases", "post"): "create_case",
    ("/api/cases/{code}", "get"): "get_case",
    ("/api/cases/{code}", "patch"): "update_case",
    ("/api/cases/{code}/status", "post"): "change_case_status",
    ("/api/referrals", "get"): "list_referrals",
    ("/api/referrals/{code}", "get"): "get_referral",
    ("/api/exchange/inbox", "post"): "receive_exchange_message",
}
# Partner installations authenticate by signing what they post, not with a token.
WITHOUT_TOKEN = {"receive_exchange_message"}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_lists_every_endpoint(schema):
    assert schema["info"]["title"] == "Okoa API"
    assert schema["info"]["version"] == "1"
    operations = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert operations == EXPECTED_OPERATIONS


def test_every_endpoint_but_the_exchange_inbox_requires_the_bearer_token(schema):
    [scheme] = schema["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for methods in schema["paths"].values():
        for operation in methods.values():
            if operation["operationId"] in WITHOUT_TOKEN:
                assert "security" not in operation
            else:
                assert operation["security"], operation["operationId"]


def test_the_exchange_inbox_documents_the_envelope_and_its_answers(schema):
    operation = schema["paths"]["/api/exchange/inbox"]["post"]
    envelope = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(envelope["properties"]) == {"format", "header", "ciphertext", "signature"}
    assert set(envelope["required"]) == {"format", "header", "ciphertext", "signature"}
    assert envelope["properties"]["format"]["const"] == "okoa-exchange-1"
    answers = {
        status: answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for status, answer in operation["responses"].items()
    }
    assert answers == {
        "200": "ExchangeAcknowledgementOut",
        "400": "ExchangeRefusalOut",
        "403": "ExchangeRefusalOut",
        "404": "ExchangeRefusalOut",
        "409": "ExchangeRefusalOut",
        "422": "ExchangeRefusalOut",
        "503": "ExchangeRetryOut",
    }
    components = schema["components"]["schemas"]
    assert set(components["ExchangeAcknowledgementOut"]["required"]) == {
        "status",
        "message_id",
        "signature",
    }
    assert components["ExchangeRefusalOut"]["required"] == ["status"]
    assert "reason" in components["ExchangeRefusalOut"]["properties"]


def test_the_referral_operations_document_their_answers(schema):
    listing = schema["paths"]["/api/referrals"]["get"]
    assert {parameter["name"] for parameter in listing["parameters"]} == {
        "cursor",
        "limit",
        "direction",
        "status",
        "overdue",
    }
    assert {"200", "401", "403", "422"} <= set(listing["responses"])
    detail = schema["paths"]["/api/referrals/{code}"]["get"]
    assert {"200", "401", "404"} <= set(detail["responses"])
    referral = schema["components"]["schemas"]["ReferralOut"]["properties"]
    for field in ("status", "respond_by", "overdue", "shared", "history", "outcome", "case"):
        assert field in referral


def test_enums_of_different_apps_do_not_replace_each_other(schema):
    from okoa.cases.models import Case

    # Components are named after the enum's class: the referral's Status must not take the
    # case's place.
    assert schema["components"]["schemas"]["Status"]["enum"] == list(Case.Status.values)


def test_the_docs_are_not_served_outside_debug(client, db, settings):
    settings.DEBUG = False
    response = client.get("/api/docs")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_docs_are_served_in_debug(client, db, settings):
    settings.DEBUG = True
    assert client.get("/api/docs").status_code == 200


def test_unknown_api_paths_answer_with_the_json_404(client, db):
    for path in ("/api/", "/api/nothing/here"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
