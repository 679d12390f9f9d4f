"""An erasure that fails half-way leaves everything as it was: the request still waits, the
person keeps their identity, search still finds them. Nothing is half-erased."""

import pytest

from okoa.audit.models import ChangeRecord
from okoa.people.access import search_people_for_user
from okoa.people.models import PersonSearchToken
from okoa.retention import actions
from okoa.retention.actions import approve_erasure, request_erasure
from okoa.retention.models import Erasure, ErasureRequest
from okoa.retention.tests.conftest import stored_ciphertexts


class Failure(Exception):
    pass


def fail(*args, **kwargs):
    raise Failure


@pytest.mark.parametrize("step", ["_wipe_case", "_wipe_reports"])
def test_a_failure_after_the_first_wipe_rolls_everything_back(
    cast, survivor_file, monkeypatch, step
):
    erasure_request = request_erasure(survivor_file.person, reason="She asked.", by=cast.caseworker)
    before, changes = stored_ciphertexts(), ChangeRecord.objects.count()
    tokens = PersonSearchToken.objects.filter(person=survivor_file.person).count()
    monkeypatch.setattr(actions, step, fail)

    with pytest.raises(Failure):
        approve_erasure(erasure_request, by=cast.supervisor)

    erasure_request.refresh_from_db()
    survivor_file.person.refresh_from_db()
    assert erasure_request.status == ErasureRequest.Status.PENDING
    assert survivor_file.person.erased_at is None
    assert survivor_file.person.full_name == "Nyokabi Shiro Wambui"
    assert PersonSearchToken.objects.filter(person=survivor_file.person).count() == tokens
    assert stored_ciphertexts() == before
    assert ChangeRecord.objects.count() == changes
    assert not Erasure.objects.exists()
    assert search_people_for_user(cast.membership(cast.caseworker), "0722 987 654")


def test_a_failure_with_a_dependant_keeps_the_survivor_too(cast, survivor_file, monkeypatch):
    from okoa.people.actions import create_person

    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Imani",
        parent=survivor_file.person,
        relationship_to_parent="child",
    )
    erasure_request = request_erasure(
        survivor_file.person, reason="She asked.", include_dependants=True, by=cast.caseworker
    )
    real = actions._wipe_person

    def wipe_survivor_only(person, **kwargs):
        if person.pk == child.pk:
            raise Failure
        return real(person, **kwargs)

    monkeypatch.setattr(actions, "_wipe_person", wipe_survivor_only)

    with pytest.raises(Failure):
        approve_erasure(erasure_request, by=cast.supervisor)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.given_name == "Nyokabi"
    assert survivor_file.person.erased_at is None
