"""Statistics count the referrals sent in the chosen period; the page and the CSV file hold
counts and organisation names only, never a survivor's name, a case or referral reference."""

import datetime

import pytest
from django.utils import timezone

from okoa.referrals.statistics import Period, Scope, referral_statistics

from .statistics_world import accept, build, refer


@pytest.fixture
def world(cast, make_case):
    world = build(cast, make_case)
    p = cast.partner_caseworker
    accept(refer(world.ngo_case, cast.partner, by=cast.caseworker, hours_ago=3), p)
    refer(world.ngo_case, cast.partner, by=cast.caseworker, hours_ago=24 * 40)
    refer(world.ngo_case, cast.partner, by=cast.caseworker, hours_ago=24 * 200)
    return world


def test_only_referrals_sent_in_the_period_are_counted(cast, world):
    membership = cast.membership(cast.supervisor)
    today = timezone.localdate()

    def total(days_back: int, until_days_back: int = 0) -> int:
        period = Period(
            today - datetime.timedelta(days=days_back), today - datetime.timedelta(until_days_back)
        )
        return referral_statistics(membership, Scope.SENT, period).overall.total

    assert referral_statistics(membership, Scope.SENT, Period.default()).overall.total == 2
    assert total(7) == 1
    assert total(365) == 3
    assert total(365, until_days_back=100) == 1  # the old one alone


def test_a_period_is_chosen_in_the_query_string_and_checked(client, cast, world):
    client.force_login(cast.supervisor)
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=365)).isoformat()

    assert "<dd>3</dd>" in client.get(f"/referrals/statistics/?start={start}").content.decode()

    backwards = client.get(f"/referrals/statistics/?start={today}&end={start}")
    assert backwards.status_code == 400
    assert backwards.context["form"].errors.keys() == {"end"}
    assert client.get("/referrals/statistics/?start=not-a-date").status_code == 400
    too_long = client.get("/referrals/statistics/?start=2001-01-01")
    assert too_long.status_code == 400 and too_long.context["form"].errors.keys() == {"start"}


def test_page_and_file_carry_no_names_or_references(client, cast, world):
    client.force_login(cast.supervisor)
    start = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()

    page = client.get(f"/referrals/statistics/?start={start}")
    csv = client.get(f"/referrals/statistics/csv/?start={start}")

    assert csv.status_code == 200
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv["Content-Disposition"].startswith('attachment; filename="okoa-referrals-sent-')
    text = csv.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith('"Breakdown","Group","Referrals","Sent, waiting for an answer"')
    assert lines[1].startswith('"All","All referrals","3","2","1","0","0","0","3.0","3.0","—"')
    assert '"By receiving organisation","Mwangaza Rescue Network","3"' in text
    referrals = world.ngo_case.referrals.all()
    for body in (page.content.decode(), text):
        for secret in [
            "Nafula",
            "Wekesa",
            "Kerubo",
            world.ngo_case.reference,
            world.ngo_case.code,
            "safe bed",
            *(referral.code for referral in referrals),
        ]:
            assert secret not in body
