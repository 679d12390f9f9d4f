import pytest
from django.test import Client

from okoa.operations.actions import StaleEdit, update_operation


def test_an_edit_based_on_an_outdated_version_is_refused(cast, operation):
    loaded_version = operation.version
    update_operation(
        operation, by=cast.supervisor, expected_version=loaded_version, status="completed"
    )

    with pytest.raises(StaleEdit):
        update_operation(
            operation, by=cast.caseworker, expected_version=loaded_version, name="Renamed"
        )

    operation.refresh_from_db()
    assert operation.name == "Compound rescue, November 2026"
    assert operation.status == "completed"


def test_the_edit_page_shows_the_refusal(cast, operation):
    client = Client()
    client.force_login(cast.caseworker)
    form = {"name": "Renamed", "status": "active", "version": operation.version - 1}

    response = client.post(f"/operations/{operation.code}/edit/", form)

    assert response.status_code == 200
    assert "Someone else changed this operation" in response.content.decode()
