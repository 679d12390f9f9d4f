"""The secretariat sees referrals across all organisations, with counts below 5 shown as "<5"
and times and rates on fewer than 5 referrals not shown; nobody else sees that scope."""

import pytest
from django.core.exceptions import PermissionDenied

from okoa.referrals.statistics import Period, Scope, line, referral_statistics

from .statistics_world import accept, build, decline, refer


@pytest.fixture
def world(cast, make_case):
    world = build(cast, make_case)
    p = cast.partner_caseworker
    # ngo -> partner: 6 shelter referrals, each accepted after 1..6 hours; 2 legal aid declined.
    for hours in range(1, 7):
        accept(refer(world.ngo_case, cast.partner, by=cast.caseworker, hours_ago=hours), p)
    for _ in range(2):
        decline(refer(world.ngo_case, cast.partner, by=cast.caseworker, kind="legal_aid"), p)
    # partner -> third: one repatriation, still waiting.
    refer(world.partner_case, world.third, by=p, kind="repatriation")
    return world


def membership(user):
    return user.memberships.select_related("organisation").get()


def test_the_secretariat_counts_every_organisation_with_small_cells_hidden(cast, world):
    report = referral_statistics(membership(world.secretary), Scope.ALL, Period.default())

    assert report.suppress_small
    overall = line(report.overall, suppress=True)
    assert overall.total == "9"
    assert overall.statuses == ["<5", "6", "<5", "0", "0"]
    assert overall.median_hours == "3.5"  # of 1..6 hours: six acceptances, enough to show
    assert overall.completion_rate == "—"  # two closed: too few to show a rate
    assert overall.declines[0] == "<5"  # no capacity: 2

    by_receiver, by_sender, by_kind = report.breakdowns
    assert [(row.label, line(row, suppress=True).total) for row in by_receiver.rows] == [
        ("Mwangaza Rescue Network", "8"),
        ("Upendo Legal Aid Clinic", "<5"),
    ]
    assert [(row.label, line(row, suppress=True).total) for row in by_sender.rows] == [
        ("Tumaini Haven Trust", "8"),
        ("Mwangaza Rescue Network", "<5"),
    ]
    repatriation = next(row for row in by_kind.rows if row.label == "Repatriation")
    assert line(repatriation, suppress=True).total == "<5"


def test_the_secretariat_page_and_file_show_the_suppressed_figures(client, cast, world):
    client.force_login(world.secretariat_analyst)

    page = client.get("/referrals/statistics/?scope=all").content.decode()
    csv = client.get("/referrals/statistics/csv/?scope=all").content.decode()

    assert "&lt;5" in page and "Upendo Legal Aid Clinic" in page
    assert '"Repatriation","<5"' in csv
    assert '"Upendo Legal Aid Clinic","<5"' in csv


def test_the_secretariats_own_referrals_are_not_suppressed(cast, world):
    report = referral_statistics(membership(world.secretary), Scope.SENT, Period.default())
    assert report.suppress_small is False


def test_other_organisations_cannot_ask_for_all_organisations(client, cast, world):
    with pytest.raises(PermissionDenied):
        referral_statistics(membership(cast.supervisor), Scope.ALL, Period.default())

    client.force_login(cast.supervisor)
    response = client.get("/referrals/statistics/?scope=all")
    assert response.status_code == 400
    assert "scope" in response.context["form"].errors
    assert "Upendo" not in response.content.decode()
    assert client.get("/referrals/statistics/csv/?scope=all").status_code == 400
