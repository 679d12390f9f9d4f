"""The demo caseworker's day and the demo supervisor's view of the team have work to show."""

from okoa.accounts.models import User
from okoa.care.models import FollowUpPolicy
from okoa.dashboards.panels import DAY_PANELS, TEAM_PANELS, Board
from okoa.demo import data


def totals(email, panels):
    user = User.objects.get(email=email)
    board = Board.for_member(user.memberships.select_related("organisation", "user").get())
    return {panel.key: panel.total for panel in board.build(panels)}


def test_the_demo_caseworker_has_a_day_to_plan(demo_output):
    day = totals(data.CST_CASEWORKER, DAY_PANELS)

    assert day["sessions"] >= 2 and day["goals"] >= 2
    assert day["hearings"] == 1 and day["returned"] == 1


def test_the_demo_supervisor_sees_approvals_and_risk(demo_output):
    team = totals(data.CST_SUPERVISOR, TEAM_PANELS)

    assert team["approvals"] >= 4  # the demo's closure requests and a business grant
    assert team["risk"] == 2  # one high, one rising
    assert team["caseload"] > 0


def test_the_second_ngo_has_its_own_follow_up_schedule(demo_output):
    policy = FollowUpPolicy.objects.get(organisation__reference_prefix="MCR")

    assert (policy.months, policy.overdue_after_days) == ([1, 3, 6, 12], 7)
