"""A referral not answered by its deadline is overdue: highlighted on both sides' lists and on
the dashboard, and both sides are told once."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from okoa.notifications.models import Notification
from okoa.referrals.actions import accept_referral, notify_overdue_referrals
from okoa.referrals.models import Referral

LATER = datetime.timedelta(hours=3)


def test_overdue_means_sent_unanswered_and_past_the_deadline(cast, make_case, refer):
    waiting = refer(make_case(), urgency="urgent")
    answered = refer(make_case(), urgency="urgent")
    normal = refer(make_case(), urgency="normal")
    accept_referral(answered, by=cast.partner_caseworker)
    now = timezone.now() + LATER

    assert list(Referral.objects.overdue(now)) == [waiting]
    assert waiting.is_overdue(now) and not normal.is_overdue(now)
    assert list(Referral.objects.overdue()) == []


def test_both_sides_are_told_once(cast, make_case, refer):
    referral = refer(make_case(), urgency="urgent")
    now = timezone.now() + LATER

    assert notify_overdue_referrals(now=now) == 1
    assert notify_overdue_referrals(now=now + LATER) == 0

    told = Notification.objects.filter(event="referral_overdue", reference=referral.code)
    assert set(told.values_list("user", flat=True)) == {
        cast.caseworker.pk,
        cast.supervisor.pk,
        cast.admin.pk,
        cast.partner_caseworker.pk,
    }


def test_the_command_notifies_what_just_became_overdue(cast, make_case, refer):
    referral = refer(make_case(), urgency="urgent")
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - LATER, respond_by=timezone.now() - datetime.timedelta(hours=1)
    )

    call_command("notify_overdue_referrals", stdout=StringIO())

    assert Notification.objects.filter(event="referral_overdue").count() == 4


def test_overdue_referrals_are_highlighted_on_both_lists(client, cast, make_case, refer):
    overdue = refer(make_case(), urgency="urgent")
    refer(make_case(), urgency="normal")
    Referral.objects.filter(pk=overdue.pk).update(
        sent_at=timezone.now() - LATER, respond_by=timezone.now() - datetime.timedelta(hours=1)
    )

    for user, path in (
        (cast.caseworker, "/referrals/sent/"),
        (cast.partner_caseworker, "/referrals/received/"),
    ):
        client.force_login(user)
        page = client.get(path).content.decode()
        assert page.count('class="overdue"') == 1
        only = client.get(path + "?overdue=1").content.decode()
        assert overdue.code in only and only.count("/referrals/") >= 1
        assert only.count('class="overdue"') == 1 and only.count("<tr") == 2  # header + one


def test_overdue_referrals_are_on_both_sides_dashboards(client, cast, make_case, refer):
    overdue = refer(make_case(), urgency="urgent", service_kind="legal_aid")
    Referral.objects.filter(pk=overdue.pk).update(
        sent_at=timezone.now() - LATER, respond_by=timezone.now() - datetime.timedelta(hours=1)
    )

    client.force_login(cast.caseworker)
    sender = client.get("/dashboard/").content.decode()
    client.force_login(cast.partner_caseworker)
    receiver = client.get("/dashboard/").content.decode()

    assert "Referral to Mwangaza Rescue Network: Legal aid" in sender
    assert "Referral from Tumaini Haven Trust: Legal aid" in receiver
    assert f"/referrals/{overdue.code}/" in sender and f"/referrals/{overdue.code}/" in receiver
