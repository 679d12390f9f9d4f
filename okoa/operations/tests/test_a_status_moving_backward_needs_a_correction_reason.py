import pytest
from django.core.exceptions import ValidationError

from okoa.operations.actions import add_to_manifest, change_manifest_status
from okoa.operations.models import ManifestEvent


def test_a_status_moving_backward_is_refused_without_a_correction_reason(cast, operation):
    entry = add_to_manifest(
        operation, by=cast.caseworker, person={"given_name": "Nafula"}, status="arrived"
    )

    with pytest.raises(ValidationError) as refused:
        change_manifest_status(entry, to="rescued", by=cast.caseworker)
    assert "reason" in refused.value.message_dict

    entry = change_manifest_status(
        entry, to="rescued", by=cast.caseworker, reason="Entered by mistake at the airport"
    )
    assert entry.status == "rescued"
    assert ManifestEvent.objects.filter(entry=entry, from_status="arrived").get().reason


def test_skipping_ahead_where_realistic_needs_no_reason(cast, operation):
    entry = add_to_manifest(operation, by=cast.caseworker, person={"given_name": "Juma"})

    entry = change_manifest_status(entry, to="travel_documents", by=cast.caseworker)

    assert entry.status == "travel_documents"
