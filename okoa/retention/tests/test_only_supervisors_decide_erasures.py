"""Caseworkers may ask for an erasure but never decide one; analysts and hotline operators
neither ask nor see requests. For all of them the decision pages are the same 404."""

import pytest
from django.core.exceptions import ValidationError

from okoa.retention.actions import approve_erasure, request_erasure
from okoa.retention.models import ErasureRequest


@pytest.fixture
def pending(cast, survivor_file) -> ErasureRequest:
    return request_erasure(survivor_file.person, reason="Recorded twice by mistake.", by=cast.admin)


def test_a_caseworker_cannot_approve_through_the_action(cast, survivor_file, pending):
    with pytest.raises(ValidationError):
        approve_erasure(pending, by=cast.caseworker)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is None


@pytest.mark.parametrize("role", ["caseworker", "analyst", "operator"])
def test_the_decision_pages_are_a_404(client, cast, pending, role):
    client.force_login(getattr(cast, role))

    assert client.get("/retention/requests/").status_code == 404
    assert (
        client.post(f"/retention/requests/{pending.code}/approve/", {"confirm": "on"}).status_code
        == 404
    )
    assert (
        client.post(f"/retention/requests/{pending.code}/reject/", {"note": "No."}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.status == ErasureRequest.Status.PENDING


@pytest.mark.parametrize("role", ["caseworker", "analyst", "operator"])
def test_a_request_somebody_else_made_is_a_404(client, cast, pending, role):
    client.force_login(getattr(cast, role))

    assert client.get(f"/retention/requests/{pending.code}/").status_code == 404


@pytest.mark.parametrize("role", ["analyst", "operator"])
def test_roles_without_identities_cannot_ask(client, cast, survivor_file, role):
    client.force_login(getattr(cast, role))
    url = f"/retention/people/{survivor_file.person.code}/request/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Please."}).status_code == 404
    assert not ErasureRequest.objects.exists()


def test_an_analyst_cannot_ask_through_the_action(cast, survivor_file):
    with pytest.raises(ValidationError):
        request_erasure(survivor_file.person, reason="Please.", by=cast.analyst)
