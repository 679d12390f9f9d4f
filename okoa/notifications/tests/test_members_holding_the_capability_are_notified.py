"""notify_organisation reaches the organisation's active members whose role holds the capability."""

import pytest

from okoa.accounts.models import Capability, Membership
from okoa.notifications.actions import notify_organisation, notify_users
from okoa.notifications.models import Event, Notification


def recipients(**filters):
    return sorted(n.user.email for n in Notification.objects.filter(**filters))


def test_every_member_who_sees_cases_is_notified_and_no_one_elsewhere(cast):
    notify_organisation(
        cast.ngo,
        event=Event.REFERRAL_RECEIVED,
        reference="Ab3dEf6hIj9k",
        path="/referrals/Ab3dEf6hIj9k/",
    )

    assert recipients() == [
        "admin@tumaini.test",
        "analyst@tumaini.test",
        "caseworker@tumaini.test",
        "supervisor@tumaini.test",
    ]  # not the hotline operator, whose role has no case files; nobody at the partner
    notification = Notification.objects.filter(user=cast.caseworker).get()
    assert notification.organisation == cast.ngo
    assert notification.event == "referral_received"
    assert notification.reference == "Ab3dEf6hIj9k"
    assert notification.path == "/referrals/Ab3dEf6hIj9k/"
    assert notification.read_at is None


def test_a_narrower_capability_notifies_fewer_members(cast):
    notify_organisation(
        cast.ngo,
        event="referral_overdue",
        reference="Zz9",
        path="/referrals/Zz9/",
        capability=Capability.SUPERVISE,
    )

    assert recipients() == ["admin@tumaini.test", "supervisor@tumaini.test"]


def test_inactive_members_and_accounts_are_not_notified(cast):
    Membership.objects.filter(user=cast.supervisor).update(is_active=False)
    cast.admin.is_active = False
    cast.admin.save(update_fields=["is_active"])

    notify_organisation(cast.ngo, event="referral_declined", reference="R1", path="/referrals/R1/")

    assert recipients() == [
        "analyst@tumaini.test",
        "caseworker@tumaini.test",
    ]


def test_named_users_are_notified_in_the_app_only(cast, desk):
    cast.operator.is_active = False
    cast.operator.save(update_fields=["is_active"])

    notify_users(
        [cast.partner_caseworker, cast.operator],
        event=Event.REFERRAL_ACCEPTED,
        reference="R2",
        path="/referrals/R2/",
    )

    assert recipients() == ["caseworker@mwangaza.test"]
    assert Notification.objects.get().organisation is None


@pytest.mark.parametrize(
    ("event", "reference", "path"),
    [
        ("referral_lost", "R3", "/referrals/R3/"),  # not an event
        ("referral_received", "Zawadi Mutua", "/referrals/R3/"),  # a name is not a reference
        ("referral_received", "R3", "https://elsewhere.example/"),  # off the site
        ("referral_received", "R3", "//elsewhere.example/"),  # off the site, scheme-relative
        ("referral_received", "R3", "referrals/R3/"),  # not a site path
        ("referral_received", "", "/referrals/R3/"),
    ],
)
def test_a_bad_event_reference_or_path_is_refused_and_nothing_is_created(
    cast, desk, event, reference, path
):
    with pytest.raises(ValueError):
        notify_organisation(cast.partner, event=event, reference=reference, path=path)

    assert not Notification.objects.exists()
