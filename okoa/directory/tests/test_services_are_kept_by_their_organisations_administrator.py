"""Each organisation's administrator lists, edits, deactivates and reactivates its services;
nobody else can, and every change leaves a change record naming the fields."""

from __future__ import annotations

from okoa.audit.models import ChangeRecord
from okoa.directory.models import Service

FORM = {
    "kind": "psychosocial",
    "name": "Mwangaza Counselling",
    "description": "Trauma counselling in Kiswahili and English.",
    "counties": [],
    "min_age": "12",
    "max_age": "",
    "sexes": ["female", "male"],
    "capacity": "20",
    "capacity_note": "Waiting list in December",
    "contact_phone": "+254 700 000 170",
    "contact_email": "counselling@mwangaza.test",
    "hours": "Monday to Friday 8:00-17:00",
}


def test_the_administrator_lists_edits_and_deactivates_a_service(client, partner_admin, places):
    client.force_login(partner_admin)

    created = client.post("/directory/new/", FORM | {"counties": [places.mombasa.pk]})
    service = Service.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/directory/{service.code}/"
    assert service.organisation == partner_admin.memberships.get().organisation
    assert list(service.counties.all()) == [places.mombasa]

    edited = client.post(
        f"/directory/{service.code}/edit/",
        FORM | {"nationwide": "on", "capacity": "25", "version": service.version},
    )
    assert edited.status_code == 302
    service.refresh_from_db()
    assert service.nationwide and service.capacity == 25 and not service.counties.exists()

    client.post(f"/directory/{service.code}/active/", {"active": "0"})
    service.refresh_from_db()
    assert not service.is_active
    client.post(f"/directory/{service.code}/active/", {"active": "1"})
    service.refresh_from_db()
    assert service.is_active

    actions = list(
        ChangeRecord.objects.filter(record_kind="service", record_code=service.code)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "updated", "deactivated", "reactivated"]
    updated = ChangeRecord.objects.get(record_code=service.code, action="updated")
    assert updated.fields == ["capacity", "counties", "nationwide"]


def test_nobody_else_changes_a_service(client, cast, partner_admin, places):
    client.force_login(partner_admin)
    client.post("/directory/new/", FORM | {"counties": [places.mombasa.pk]})
    service = Service.objects.get()

    for user in (cast.partner_caseworker, cast.admin, cast.supervisor):
        client.force_login(user)
        assert client.get(f"/directory/{service.code}/edit/").status_code == 404
        assert client.post(f"/directory/{service.code}/active/", {"active": "0"}).status_code == 404
        assert client.get(f"/directory/{service.code}/").status_code == 200
    client.force_login(cast.partner_caseworker)
    assert client.get("/directory/new/").status_code == 403
    service.refresh_from_db()
    assert service.is_active and service.version == 1
