"""Hotline operators work the intake queue: people and case files are closed to them."""

import pytest


@pytest.mark.parametrize(
    "path", ["/api/people", "/api/people/{person}", "/api/cases", "/api/cases/{case}"]
)
def test_operator_reads_get_404(cast, api_as, case, survivor, path):
    response = api_as(cast.operator).get(path.format(person=survivor.code, case=case.code))
    assert response.status == 404


def test_operator_writes_and_search_get_404(cast, api_as, case, survivor):
    operator = api_as(cast.operator)
    assert operator.post("/api/people/search", {"query": "Nyokabi"}).status == 404
    assert operator.post("/api/people", {"given_name": "Jeptoo"}).status == 404
    assert operator.post("/api/cases", {"person": survivor.code}).status == 404
    assert operator.patch(f"/api/people/{survivor.code}", {"version": 1}).status == 404
    assert operator.patch(f"/api/cases/{case.code}", {"version": 1}).status == 404
    assert operator.post(f"/api/cases/{case.code}/status", {"to": "closed"}).status == 404
