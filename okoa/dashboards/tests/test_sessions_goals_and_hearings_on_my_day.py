"""The caseworker's day lists services waiting for sessions to be recorded, care goals near or
past their target date, and hearings in the next two weeks: each linking to its page."""

import datetime

from django.utils import timezone

from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    add_hearing,
    set_care_goal_status,
    update_care_service,
)


def days(number: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=number)


def test_services_in_progress_with_sessions_left_are_to_record(read_panel, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    counselling = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )
    update_care_service(counselling, by=cast.caseworker, status="in_progress", delivered_count=5)
    finished = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="training", planned_count=3
    )
    update_care_service(finished, by=cast.caseworker, status="in_progress", delivered_count=3)
    add_care_service(  # planned, not started
        case, by=cast.caseworker, beneficiary=case.person, kind="legal_aid", planned_count=2
    )

    panel = read_panel(cast.caseworker, "sessions")

    assert "Counselling or therapy sessions: 5 of 12" in panel
    assert f'href="/cases/{case.code}/care/services/{counselling.code}/"' in panel
    assert "Vocational training" not in panel and "Legal aid" not in panel


def test_open_goals_due_within_a_week_or_past_are_listed_until_achieved(
    read_panel, cast, make_case, move_back
):
    case = make_case(assigned_to=cast.caseworker)
    move_back(case, 30)
    past = add_care_goal(
        case,
        by=cast.caseworker,
        area="shelter",
        description="Move to a safe room",
        target_on=days(-5),
    )
    near = add_care_goal(
        case, by=cast.caseworker, area="education", description="Enrol in school", target_on=days(3)
    )
    add_care_goal(
        case, by=cast.caseworker, area="livelihood", description="Start a kiosk", target_on=days(30)
    )
    done = add_care_goal(
        case, by=cast.caseworker, area="legal", description="Record a statement", target_on=days(-2)
    )
    set_care_goal_status(done, status="achieved", by=cast.caseworker)

    panel = read_panel(cast.caseworker, "goals")

    assert "Move to a safe room" in panel and "Enrol in school" in panel
    assert "Start a kiosk" not in panel and "Record a statement" not in panel
    assert f'href="/cases/{case.code}/care/goals/{past.code}/"' in panel
    assert f'href="/cases/{case.code}/care/goals/{near.code}/"' in panel
    assert panel.count("past the target date") == 1


def test_hearings_in_the_next_two_weeks_are_listed(read_panel, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    add_hearing(case, held_on=days(10), by=cast.caseworker)
    add_hearing(case, held_on=days(20), by=cast.caseworker)
    other = make_case(given_name="Chebet", assigned_to=cast.supervisor)
    add_hearing(other, held_on=days(2), by=cast.supervisor)

    panel = read_panel(cast.caseworker, "hearings")

    assert panel.count(case.reference) == 1
    assert days(10).isoformat() in panel and days(20).isoformat() not in panel
    assert f'href="/cases/{case.code}/legal/"' in panel
    assert other.reference not in panel
