"""Erasing an erased person changes nothing and records nothing more."""

from okoa.audit.models import ChangeRecord
from okoa.retention.actions import erase_person_data
from okoa.retention.models import Erasure


def test_a_second_erasure_does_nothing(cast, survivor_file):
    first = erase_person_data(survivor_file.person, by=cast.supervisor, reason_code="request")
    changes = ChangeRecord.objects.count()

    second = erase_person_data(survivor_file.person, by=None, reason_code="retention")

    assert first is not None and second is None
    assert ChangeRecord.objects.count() == changes
    assert Erasure.objects.get().reason == "request"


def test_an_erased_person_cannot_be_requested_for_erasure_again(client, cast, survivor_file):
    erase_person_data(survivor_file.person, by=cast.supervisor, reason_code="request")
    client.force_login(cast.caseworker)

    response = client.post(
        f"/retention/people/{survivor_file.person.code}/request/", {"reason": "Again."}
    )

    assert response.status_code == 400
    assert "already erased" in str(response.context["form"].non_field_errors())
