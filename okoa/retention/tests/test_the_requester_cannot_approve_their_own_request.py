"""Four eyes: whoever asked for an erasure never decides it, even as a supervisor, and even if
the code forgets to check (the database refuses it too)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from okoa.retention.actions import approve_erasure, reject_erasure, request_erasure
from okoa.retention.models import ErasureRequest


@pytest.fixture
def own_request(cast, survivor_file) -> ErasureRequest:
    return request_erasure(
        survivor_file.person, reason="She asked us to forget her.", by=cast.supervisor
    )


def test_the_supervisor_who_asked_cannot_approve(cast, survivor_file, own_request):
    with pytest.raises(ValidationError):
        approve_erasure(own_request, by=cast.supervisor)

    own_request.refresh_from_db()
    survivor_file.person.refresh_from_db()
    assert own_request.status == ErasureRequest.Status.PENDING
    assert survivor_file.person.given_name == "Nyokabi"


def test_the_supervisor_who_asked_cannot_reject_either(cast, own_request):
    with pytest.raises(ValidationError):
        reject_erasure(own_request, by=cast.supervisor, note="Changed my mind.")

    own_request.refresh_from_db()
    assert own_request.status == ErasureRequest.Status.PENDING


def test_the_request_page_offers_the_requester_no_decision(client, cast, own_request):
    client.force_login(cast.supervisor)

    response = client.get(f"/retention/requests/{own_request.code}/")

    assert response.status_code == 200
    assert "approve_form" not in response.context
    assert response.context["withdraw_form"] is not None


def test_approving_ones_own_request_by_post_is_refused(client, cast, survivor_file, own_request):
    client.force_login(cast.supervisor)

    response = client.post(f"/retention/requests/{own_request.code}/approve/", {"confirm": "on"})

    assert response.status_code == 400
    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is None


def test_another_supervisor_may_approve(cast, survivor_file, own_request):
    approve_erasure(own_request, by=cast.admin)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is not None


def test_the_database_refuses_a_decision_by_the_requester(cast, own_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        ErasureRequest.objects.filter(pk=own_request.pk).update(
            status=ErasureRequest.Status.APPROVED,
            decided_by=cast.supervisor,
            decided_at=timezone.now(),
        )
