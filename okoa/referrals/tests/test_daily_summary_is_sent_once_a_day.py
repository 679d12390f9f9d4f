"""The daily summary tells each organisation with overdue referrals how many it has sent and
received (counts only), once a day however often it runs."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from conftest import PASSWORD
from okoa.accounts.actions import create_organisation, create_user
from okoa.notifications.models import Notification
from okoa.referrals.actions import send_referral_summaries
from okoa.referrals.models import Referral, ReferralSummary


def make_overdue(referral):
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - datetime.timedelta(hours=5),
        respond_by=timezone.now() - datetime.timedelta(hours=3),
    )


def summaries_for(user):
    return Notification.objects.filter(user=user, event="referral_summary")


def test_running_twice_the_same_day_sends_once(cast, make_case, refer):
    make_overdue(refer(make_case(), urgency="urgent"))
    make_overdue(refer(make_case(), urgency="urgent"))

    first, second = StringIO(), StringIO()
    call_command("send_referral_summary", stdout=first)
    call_command("send_referral_summary", stdout=second)

    assert summaries_for(cast.caseworker).count() == 1
    assert summaries_for(cast.partner_caseworker).count() == 1
    assert "TUM: 0 overdue received, 2 overdue sent." in first.getvalue()
    assert "MWA: 2 overdue received, 0 overdue sent." in first.getvalue()
    assert "0 summaries sent." in second.getvalue()
    summary = ReferralSummary.objects.get(organisation=cast.partner)
    assert (summary.overdue_received, summary.overdue_sent) == (2, 0)
    # The notification carries the day and a link, never a name or a case.
    notification = summaries_for(cast.caseworker).get()
    assert notification.reference == timezone.localdate().isoformat()
    assert notification.path == "/referrals/received/?overdue=1"


def test_the_next_day_sends_again(cast, make_case, refer):
    make_overdue(refer(make_case(), urgency="urgent"))
    send_referral_summaries()

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert len(send_referral_summaries(now=tomorrow)) == 2
    assert summaries_for(cast.caseworker).count() == 2


def test_organisations_without_overdue_referrals_get_nothing(cast, make_case, refer):
    quiet = create_organisation(
        name="Tulivu Counselling Centre", kind="ngo", reference_prefix="TCC"
    )
    quiet_member = create_user(
        email="desk@tulivu.test",
        full_name="Amani Desk",
        password=PASSWORD,
        organisation=quiet,
        role="caseworker",
    )
    refer(make_case(), urgency="normal")  # not overdue yet

    assert send_referral_summaries() == []
    assert not Notification.objects.filter(event="referral_summary").exists()
    assert not summaries_for(quiet_member).exists()
