"""The demo's notification contacts: each demo organisation's referral desk.

Invented ``.example`` addresses and numbers in the demo's artificial block (0700 000 18x). Set
after the demo referrals are sent, so that loading the demo queues no email or SMS; the in-app
notifications of those referrals are already there, made by the referral actions.
"""

from __future__ import annotations

from okoa.accounts.models import Membership, Organisation
from okoa.demo import data
from okoa.notifications.actions import set_notification_contacts

# Reference prefix -> (desk address, desk phone).
DESKS = {
    data.MAIN_NGO.reference_prefix: ("referrals@chemichemi.example", "0700 000 181"),
    data.SECOND_NGO.reference_prefix: ("referrals@mwamba.example", "0700 000 182"),
    data.HOSPITAL.reference_prefix: ("socialwork-desk@pwani-hospital.example", "0700 000 183"),
    data.SHELTER.reference_prefix: ("admissions@kimbilio.example", "0700 000 184"),
    data.EMBASSY.reference_prefix: ("welfare@gulf-mission.example", ""),
}


def load_notifications_demo() -> None:
    """Set the referral desks' contacts of the demo organisations."""
    organisations = Organisation.objects.filter(reference_prefix__in=list(DESKS))
    for organisation in organisations:
        admin = (
            Membership.objects.filter(
                organisation=organisation, role=Membership.Role.ORGANISATION_ADMIN
            )
            .select_related("user")
            .first()
        )
        email, phone = DESKS[organisation.reference_prefix]
        set_notification_contacts(
            organisation, email=email, phone=phone, by=admin.user if admin else None
        )
