"""The answer deadline is set when a referral is sent: 2 hours for urgent, 48 otherwise, unless
the sending organisation's administrator chose other values (checked on their fields)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from okoa.referrals.actions import set_referral_deadlines
from okoa.referrals.models import ReferralDeadlines

HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize(("urgency", "hours"), [("urgent", 2), ("normal", 48)])
def test_the_default_deadlines(cast, make_case, refer, urgency, hours):
    referral = refer(make_case(), urgency=urgency)

    assert referral.respond_by - referral.sent_at == hours * HOUR


def test_the_organisations_own_deadlines_apply_to_referrals_sent_afterwards(cast, make_case, refer):
    earlier = refer(make_case(), urgency="urgent")
    set_referral_deadlines(cast.ngo, urgent_hours=4, normal_hours=72, by=cast.admin)

    urgent = refer(make_case(), urgency="urgent")
    normal = refer(make_case(), urgency="normal")

    assert urgent.respond_by - urgent.sent_at == 4 * HOUR
    assert normal.respond_by - normal.sent_at == 72 * HOUR
    earlier.refresh_from_db()
    assert earlier.respond_by - earlier.sent_at == 2 * HOUR


@pytest.mark.parametrize(
    ("urgent", "normal", "field"),
    [
        (0, 48, "urgent_hours"),
        (2, 721, "normal_hours"),
        (None, 48, "urgent_hours"),
        (50, 48, "urgent_hours"),
    ],
)
def test_bad_deadlines_are_refused_on_their_field(cast, urgent, normal, field):
    with pytest.raises(ValidationError) as refused:
        set_referral_deadlines(cast.ngo, urgent_hours=urgent, normal_hours=normal, by=cast.admin)

    assert field in refused.value.message_dict
    assert not ReferralDeadlines.objects.exists()


def test_only_the_administrator_has_the_deadlines_page(client, cast):
    client.force_login(cast.supervisor)
    assert client.get("/referrals/deadlines/").status_code == 404

    client.force_login(cast.admin)
    page = client.get("/referrals/deadlines/")
    assert page.status_code == 200 and 'value="48"' in page.content.decode()

    refused = client.post("/referrals/deadlines/", {"urgent_hours": "100", "normal_hours": "10"})
    assert refused.status_code == 400
    assert "cannot have longer to answer" in refused.content.decode()

    saved = client.post("/referrals/deadlines/", {"urgent_hours": "3", "normal_hours": "24"})
    assert saved.status_code == 302
    deadlines = ReferralDeadlines.objects.get(organisation=cast.ngo)
    assert (deadlines.urgent_hours, deadlines.normal_hours) == (3, 24)
