"""The demo's referral desks have contacts, and its referrals left notifications in the app."""

from okoa.notifications.models import Notification, NotificationContacts, OutboundEmail
from okoa.referrals.models import Referral


def test_the_demo_desks_have_contacts_and_members_have_notifications(demo_output):
    contacts = NotificationContacts.objects.select_related("organisation")
    assert contacts.count() == 5
    for desk in contacts:
        assert desk.email.endswith(".example")
        assert desk.phone in ("", *(f"+2547000001{n}" for n in range(81, 85)))
    received = set(Referral.objects.values_list("code", flat=True))
    assert received <= set(Notification.objects.values_list("reference", flat=True))
    # The contacts were set after the demo referrals: loading the demo sends nothing.
    assert not OutboundEmail.objects.exists()
