"""No endpoint takes a name, phone or search query in its URL: records go by opaque code."""

import json

import pytest

# Query parameters the API may take: paging and the lists' non-identifying filters.
ALLOWED_QUERY_PARAMETERS = {
    "cursor",
    "limit",
    "status",
    "county",
    "sex",
    "exploitation_type",
    "assigned_to_me",
    "direction",
    "overdue",
}
IDENTIFYING_WORDS = ("name", "phone", "query", "search", "q", "passport", "id_number", "dob")


@pytest.fixture
def operations(client, db):
    schema = json.loads(client.get("/api/openapi.json").content)
    return [
        (path, operation)
        for path, methods in schema["paths"].items()
        for operation in methods.values()
    ]


def test_path_parameters_are_only_opaque_codes(operations):
    for path, operation in operations:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert names <= {"code"}, path
        assert not any(word in path for word in ("name", "phone")), path


def test_no_query_parameter_carries_identifying_data(operations):
    for path, operation in operations:
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        assert names <= ALLOWED_QUERY_PARAMETERS, (path, names)
        for name in names:
            assert name not in IDENTIFYING_WORDS
            assert not any(word in name for word in ("name", "phone", "query")), name


def test_search_takes_its_query_in_the_body(operations):
    [search] = [operation for path, operation in operations if path == "/api/people/search"]
    assert search["parameters"] == []
    assert "requestBody" in search
