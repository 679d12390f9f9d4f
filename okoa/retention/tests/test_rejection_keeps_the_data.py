"""Rejecting (or withdrawing) an erasure request erases nothing; a decided request stays
decided."""

import pytest
from django.core.exceptions import ValidationError

from okoa.people.access import search_people_for_user
from okoa.retention.actions import (
    approve_erasure,
    reject_erasure,
    request_erasure,
    withdraw_erasure,
)
from okoa.retention.models import Erasure, ErasureRequest
from okoa.retention.tests.conftest import stored_ciphertexts


@pytest.fixture
def pending(cast, survivor_file) -> ErasureRequest:
    return request_erasure(survivor_file.person, reason="The family asked.", by=cast.caseworker)


def test_rejecting_keeps_every_value(cast, survivor_file, pending):
    before = stored_ciphertexts()

    reject_erasure(pending, by=cast.supervisor, note="The case may reopen: keep it for now.")

    pending.refresh_from_db()
    survivor_file.person.refresh_from_db()
    assert pending.status == ErasureRequest.Status.REJECTED
    assert survivor_file.person.full_name == "Nyokabi Shiro Wambui"
    assert survivor_file.person.erased_at is None
    assert before <= stored_ciphertexts()
    assert search_people_for_user(cast.membership(cast.caseworker), "Nyokabi")
    assert not Erasure.objects.exists()


def test_rejecting_needs_a_reason(cast, pending):
    with pytest.raises(ValidationError) as refused:
        reject_erasure(pending, by=cast.supervisor, note="  ")

    assert "note" in refused.value.error_dict
    pending.refresh_from_db()
    assert pending.status == ErasureRequest.Status.PENDING


def test_a_rejected_request_cannot_be_approved_afterwards(cast, survivor_file, pending):
    reject_erasure(pending, by=cast.supervisor, note="Keep it.")

    with pytest.raises(ValidationError):
        approve_erasure(pending, by=cast.admin)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is None


def test_the_requester_may_withdraw_and_nothing_is_erased(cast, survivor_file, pending):
    withdraw_erasure(pending, by=cast.caseworker)

    pending.refresh_from_db()
    assert pending.status == ErasureRequest.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        approve_erasure(pending, by=cast.supervisor)
    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is None


def test_only_the_requester_withdraws(cast, pending):
    with pytest.raises(ValidationError):
        withdraw_erasure(pending, by=cast.supervisor)


def test_a_second_request_while_one_waits_is_refused(cast, survivor_file, pending):
    with pytest.raises(ValidationError):
        request_erasure(survivor_file.person, reason="Again.", by=cast.admin)


def test_after_a_rejection_a_new_request_may_be_made(cast, survivor_file, pending):
    reject_erasure(pending, by=cast.supervisor, note="Not yet.")

    again = request_erasure(
        survivor_file.person, reason="Her case is over now.", by=cast.caseworker
    )

    assert again.status == ErasureRequest.Status.PENDING
