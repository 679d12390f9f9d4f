"""The caseworker's day lists the follow-up visits of their own cases due within a week and
those overdue, each linking to the page where the visit is recorded."""

import datetime

from django.utils import timezone

from okoa.care.actions import record_follow_up_visit, start_reintegration
from okoa.care.models import FollowUpVisit
from okoa.cases.actions import change_case_status
from okoa.dashboards.tests.conftest import count_of, panel_of


def test_visits_due_this_week_and_overdue_ones_are_listed_with_a_link_to_record_them(
    client, cast, make_case, move_back
):
    today = timezone.localdate()
    soon = make_case(given_name="Akinyi", assigned_to=cast.caseworker)
    late = make_case(given_name="Njeri", assigned_to=cast.caseworker)
    for case in (soon, late):
        start_reintegration(case, started_on=today, by=cast.caseworker)
    move_back(soon, 27)  # the one-month visit falls due in three or four days
    move_back(late, 40)  # the one-month visit is ten days overdue
    overdue = FollowUpVisit.objects.get(case=late, month=1)
    client.force_login(cast.caseworker)

    html = client.get("/dashboard/").content.decode()

    panel = panel_of(html, "follow-ups")
    assert soon.reference in panel and late.reference in panel
    assert "Akinyi Mutua" in panel and "Njeri Mutua" in panel
    assert f'href="/cases/{late.code}/follow-ups/{overdue.code}/"' in panel
    assert panel.count("<strong>overdue</strong>") == 1
    assert panel.index(late.reference) < panel.index(soon.reference)  # the most urgent first
    assert count_of(html, "follow-ups") == 2


def test_later_recorded_and_other_peoples_visits_are_not_on_my_day(
    read_panel, cast, make_case, move_back
):
    today = timezone.localdate()
    recorded = make_case(given_name="Wambui", assigned_to=cast.caseworker)
    someone_elses = make_case(given_name="Chebet", assigned_to=cast.supervisor)
    unassigned = make_case(given_name="Auma")
    closed = make_case(given_name="Nafula", assigned_to=cast.caseworker)
    later = make_case(given_name="Kerubo", assigned_to=cast.caseworker)
    for case in (recorded, someone_elses, unassigned, closed, later):
        start_reintegration(case, started_on=today, by=cast.caseworker)
    for case in (recorded, someone_elses, unassigned, closed):
        move_back(case, 35)
    record_follow_up_visit(
        FollowUpVisit.objects.get(case=recorded, month=1),
        by=cast.caseworker,
        visited_on=today,
        contact_mode="phone",
        wellbeing="good",
        goal_progress="on_track",
        risk_factors=[],
    )
    change_case_status(closed, to="closed", by=cast.supervisor, reason="Moved abroad")

    panel = read_panel(cast.caseworker, "follow-ups")

    for case in (recorded, someone_elses, unassigned, closed, later):
        assert case.reference not in panel
    assert "No follow-up visit is due" in panel


def test_the_supervisors_own_day_lists_only_the_cases_assigned_to_them(
    read_panel, cast, make_case, move_back
):
    mine = make_case(given_name="Achieng", assigned_to=cast.supervisor)
    theirs = make_case(given_name="Adhiambo", assigned_to=cast.caseworker)
    for case in (mine, theirs):
        start_reintegration(case, started_on=timezone.localdate(), by=cast.supervisor)
        move_back(case, 40)

    panel = read_panel(cast.supervisor, "follow-ups")

    assert mine.reference in panel and theirs.reference not in panel


def test_a_visit_due_in_eight_days_waits_for_tomorrow(read_panel, cast, make_case, move_back):
    case = make_case(assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    due = FollowUpVisit.objects.get(case=case, month=1).due_on
    # Move the schedule so that the first visit falls due in exactly eight days.
    move_back(case, (due - timezone.localdate() - datetime.timedelta(days=8)).days)

    assert case.reference not in read_panel(cast.caseworker, "follow-ups")
    move_back(case, 1)
    assert case.reference in read_panel(cast.caseworker, "follow-ups")
