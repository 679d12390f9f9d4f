"""Two administrators editing the same service: the second save is refused."""

from __future__ import annotations

import pytest

from okoa.directory.actions import StaleEdit, create_service, update_service


def test_the_second_save_from_an_outdated_page_is_refused(client, cast):
    service = create_service(
        cast.ngo,
        by=cast.admin,
        kind="shelter",
        name="Safe House",
        nationwide=True,
        contact_phone="0700 000 190",
    )
    opened = service.version
    update_service(service, by=cast.admin, expected_version=opened, capacity=12)

    with pytest.raises(StaleEdit):
        update_service(service, by=cast.admin, expected_version=opened, hours="Always open")

    service.refresh_from_db()
    assert (service.capacity, service.hours) == (12, "")
    client.force_login(cast.admin)
    response = client.post(
        f"/directory/{service.code}/edit/",
        {
            "kind": "shelter",
            "name": "Safe House",
            "nationwide": "on",
            "contact_phone": "0700 000 190",
            "version": opened,
        },
    )
    assert response.status_code == 400
    assert "Somebody else saved this service" in response.content.decode()
