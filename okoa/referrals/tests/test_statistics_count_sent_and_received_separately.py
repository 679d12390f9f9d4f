"""An organisation's statistics count the referrals it sent and those it received apart: by
status, hours to acceptance (median, 90th percentile), completion rate and declines by reason,
broken down by the other organisation and by kind of service."""

import pytest

from okoa.accounts.actions import create_user
from okoa.referrals.statistics import Period, Scope, line, referral_statistics

from .statistics_world import accept, build, complete, decline, refer, withdraw


@pytest.fixture
def world(cast, make_case):
    world = build(cast, make_case)
    ngo_case, p = world.ngo_case, cast.partner_caseworker
    # ngo -> partner: accepted after 2 h, 4 h (then completed) and 10 h; one declined.
    accept(refer(ngo_case, cast.partner, by=cast.caseworker, hours_ago=2), p)
    complete(refer(ngo_case, cast.partner, by=cast.caseworker, hours_ago=4), p)
    accept(refer(ngo_case, cast.partner, by=cast.caseworker, hours_ago=10, kind="medical"), p)
    decline(refer(ngo_case, cast.partner, by=cast.caseworker, kind="medical"), p)
    # ngo -> third: one waiting, one withdrawn, one declined as outside the area.
    refer(ngo_case, world.third, by=cast.caseworker, kind="legal_aid")
    withdraw(refer(ngo_case, world.third, by=cast.caseworker, kind="legal_aid"), cast.caseworker)
    decline(
        refer(ngo_case, world.third, by=cast.caseworker, kind="legal_aid"),
        world.third_caseworker,
        reason="outside_area",
    )
    # partner -> ngo: one, accepted after 30 h.
    accept(refer(world.partner_case, cast.ngo, by=p, hours_ago=30), cast.caseworker)
    return world


def membership(user):
    return user.memberships.select_related("organisation").get()


def test_sent_referrals_are_counted_with_times_rates_and_declines(cast, world):
    report = referral_statistics(membership(cast.supervisor), Scope.SENT, Period.default())

    overall = report.overall
    assert overall.total == 7
    assert dict(overall.statuses) == {
        "accepted": 2,
        "completed": 1,
        "declined": 2,
        "sent": 1,
        "withdrawn": 1,
    }
    assert dict(overall.declines) == {"no_capacity": 1, "outside_area": 1}
    shown = line(overall, suppress=False)
    assert (shown.median_hours, shown.p90_hours) == ("4.0", "8.8")  # of 2, 4 and 10 hours
    assert shown.completion_rate == "25%"  # 1 completed of 4 closed
    assert shown.statuses == ["1", "2", "2", "1", "1"]  # sent accepted declined completed withdrawn

    by_receiver, by_kind = report.breakdowns
    assert [(row.label, row.total) for row in by_receiver.rows] == [
        ("Mwangaza Rescue Network", 4),
        ("Upendo Legal Aid Clinic", 3),
    ]
    partner = by_receiver.rows[0]
    assert line(partner, suppress=False).completion_rate == "50%"  # 1 completed of 2 closed
    assert [(row.label, row.total) for row in by_kind.rows] == [
        ("Legal aid", 3),
        ("Medical care", 2),
        ("Shelter", 2),
    ]
    legal_aid = by_kind.rows[0]
    assert dict(legal_aid.declines) == {"outside_area": 1}
    assert legal_aid.median_hours is None  # none accepted


def test_received_referrals_are_counted_apart(cast, world):
    report = referral_statistics(membership(cast.analyst), Scope.RECEIVED, Period.default())

    assert report.overall.total == 1
    assert dict(report.overall.statuses) == {"accepted": 1}
    assert line(report.overall, suppress=False).median_hours == "30.0"
    by_sender, by_kind = report.breakdowns
    assert [(row.label, row.total) for row in by_sender.rows] == [("Mwangaza Rescue Network", 1)]
    assert [(row.label, row.total) for row in by_kind.rows] == [("Shelter", 1)]
    assert report.suppress_small is False


def test_the_receiver_counts_the_same_referrals_as_received(cast, world):
    analyst = create_user(
        email="analyst@mwangaza.test",
        full_name="Jabali Analyst",
        password="correct horse battery staple 42",
        organisation=cast.partner,
        role="data_analyst",
    )

    received = referral_statistics(membership(analyst), Scope.RECEIVED, Period.default())
    sent = referral_statistics(membership(analyst), Scope.SENT, Period.default())

    assert received.overall.total == 4
    assert dict(received.overall.statuses) == {"accepted": 2, "completed": 1, "declined": 1}
    assert sent.overall.total == 1


def test_the_page_shows_the_figures_of_the_chosen_scope(client, cast, world):
    client.force_login(cast.supervisor)

    sent = client.get("/referrals/statistics/")
    received = client.get("/referrals/statistics/?scope=received")

    assert sent.status_code == 200 and received.status_code == 200
    page = sent.content.decode()
    assert "<dd>7</dd>" in page and "<dd>4.0</dd>" in page and "<dd>8.8</dd>" in page
    assert "<dd>25%</dd>" in page
    assert "No capacity now: 1" in page and "Outside the area served: 1" in page
    assert "Upendo Legal Aid Clinic" in page
    assert "<dd>30.0</dd>" in received.content.decode()
