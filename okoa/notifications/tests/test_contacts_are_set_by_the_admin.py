"""The organisation's administrator sets the referral desk's email and phone: checked field by
field, the phone normalised, a stale save refused; other members may not."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.notifications.actions import normalise_contact_phone, set_notification_contacts
from okoa.notifications.models import NotificationContacts


def test_the_admin_saves_the_contacts_and_the_phone_is_normalised(client, cast):
    client.force_login(cast.admin)
    assert client.get("/notifications/contacts/").status_code == 200

    response = client.post(
        "/notifications/contacts/",
        {"email": " Desk@Tumaini.test ", "phone": "0712 345 678", "version": "0"},
    )

    assert response.status_code == 302
    contacts = NotificationContacts.objects.get(organisation=cast.ngo)
    assert (contacts.email, contacts.phone, contacts.version) == (
        "desk@tumaini.test",
        "+254712345678",
        1,
    )
    assert contacts.updated_by == cast.admin
    record = ChangeRecord.objects.get(record_kind="notification_contacts")
    assert (record.record_code, record.action, record.fields) == (
        cast.ngo.code,
        "created",
        ["email", "phone"],
    )
    page = client.get("/notifications/contacts/").content.decode()
    assert 'value="desk@tumaini.test"' in page and 'value="+254712345678"' in page


@pytest.mark.parametrize(
    ("email", "phone", "field"),
    [
        ("not an address", "0712345678", "email"),
        ("desk@tumaini.test", "0712 34", "phone"),  # too short
        ("desk@tumaini.test", "call the office", "phone"),
        ("desk@tumaini.test", "+254 812 345 678", "phone"),  # not a Kenyan mobile
        ("desk@tumaini.test", "+254 7123 456 789", "phone"),  # one digit too many
    ],
)
def test_bad_input_gets_a_field_error_and_nothing_is_saved(client, cast, email, phone, field):
    client.force_login(cast.admin)

    response = client.post(
        "/notifications/contacts/", {"email": email, "phone": phone, "version": "0"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {field}
    assert not NotificationContacts.objects.exists()
    assert not ChangeRecord.objects.filter(record_kind="notification_contacts").exists()


def test_numbers_written_in_the_usual_ways_are_accepted():
    assert normalise_contact_phone("0722 000 111") == "+254722000111"
    assert normalise_contact_phone("+254 (722) 000-111") == "+254722000111"
    assert normalise_contact_phone("722000111") == "+254722000111"
    assert normalise_contact_phone("0110 000 111") == "+254110000111"
    assert normalise_contact_phone("+256 772 000 111") == "+256772000111"  # Uganda
    assert normalise_contact_phone("  ") == ""


def test_a_save_based_on_an_older_page_is_refused_naming_what_changed(client, cast):
    set_notification_contacts(cast.ngo, email="a@tumaini.test", phone="", by=cast.admin)
    set_notification_contacts(
        cast.ngo, email="a@tumaini.test", phone="0722000111", by=cast.admin, expected_version=1
    )
    client.force_login(cast.admin)

    response = client.post(
        "/notifications/contacts/", {"email": "b@tumaini.test", "phone": "", "version": "1"}
    )

    assert response.status_code == 400
    assert "Somebody else saved these contacts" in response.content.decode()
    assert "(changed: phone number)" in response.content.decode()
    contacts = NotificationContacts.objects.get()
    assert (contacts.email, contacts.phone, contacts.version) == (
        "a@tumaini.test",
        "+254722000111",
        2,
    )


def test_saving_the_same_values_changes_nothing(cast):
    set_notification_contacts(cast.ngo, email="a@tumaini.test", phone="", by=cast.admin)
    set_notification_contacts(
        cast.ngo, email="A@tumaini.test", phone="", by=cast.admin, expected_version=1
    )

    assert NotificationContacts.objects.get().version == 1
    assert ChangeRecord.objects.filter(record_kind="notification_contacts").count() == 1


def test_the_action_raises_field_errors(cast):
    with pytest.raises(ValidationError) as raised:
        set_notification_contacts(cast.ngo, email="x@", phone="12", by=cast.admin)
    assert set(raised.value.error_dict) == {"email", "phone"}


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "analyst", "operator"])
def test_other_members_may_not_see_or_set_the_contacts(client, cast, role):
    client.force_login(getattr(cast, role))

    assert client.get("/notifications/contacts/").status_code == 403
    response = client.post(
        "/notifications/contacts/", {"email": "x@tumaini.test", "phone": "", "version": "0"}
    )
    assert response.status_code == 403
    assert not NotificationContacts.objects.exists()


def test_addresses_are_stored_encrypted(cast):
    from django.db import connection

    set_notification_contacts(
        cast.ngo, email="desk@tumaini.test", phone="0722000111", by=cast.admin
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, phone FROM notifications_notificationcontacts")
        email, phone = cursor.fetchone()
    assert "tumaini" not in email and "722000111" not in phone
