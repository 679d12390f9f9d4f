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
}


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


def test_every_endpoint_requires_the_bearer_token(schema):
    [scheme] = schema["components"]["securitySchemes"].values()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert operation["security"], operation["operationId"]


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
