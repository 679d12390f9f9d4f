"""A caseworker updates a goal's status and progress (or its wording and target date) on the
goal's page: bad input gets an error on its field, a save based on an outdated copy is
refused naming what changed, and every change leaves a timeline entry and a change record."""

import datetime

import pytest
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.care.actions import StaleEdit, add_care_goal, set_care_goal_status, update_care_goal
from okoa.care.models import CareGoal, CarePlan
from okoa.cases.models import CaseEvent


@pytest.fixture
def goal(cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    return add_care_goal(
        case,
        by=cast.caseworker,
        area="education",
        description="Back to school in January",
        target_on=timezone.localdate() + datetime.timedelta(days=60),
    )


def page(goal):
    return f"/cases/{goal.plan.case.code}/care/goals/{goal.code}/"


def form_data(goal, **changes):
    data = {
        "status": goal.status,
        "progress": goal.progress,
        "target_on": goal.target_on.isoformat(),
        "area": goal.area,
        "description": goal.description,
        "version": str(goal.version),
    }
    return data | changes


def test_the_caseworker_marks_progress_then_achievement(client, cast, goal):
    client.force_login(cast.caseworker)

    first = client.post(page(goal), form_data(goal, progress="some"))
    goal.refresh_from_db()
    second = client.post(page(goal), form_data(goal, status="achieved", progress="on_track"))

    assert first.status_code == second.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.progress, goal.version) == ("achieved", "on_track", 3)
    events = CaseEvent.objects.filter(case=goal.plan.case, kind=CaseEvent.Kind.CARE_GOAL_CHANGED)
    assert [event.data["fields"] for event in events] == [["progress", "status"], ["progress"]]
    assert "Back to school" not in str([event.data for event in events])
    changes = ChangeRecord.objects.filter(record_kind="care_goal", record_code=goal.code)
    assert sorted(record.fields for record in changes) == [["progress"], ["progress", "status"]]


def test_the_care_plan_links_each_goal_to_its_page_and_shows_its_progress(client, cast, goal):
    update_care_goal(goal, by=cast.caseworker, progress="stuck")
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{goal.plan.case.code}/care/").content.decode()

    assert f'href="{page(goal)}"' in html
    assert "Stuck" in html


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "   "}, "description"),
        ({"target_on": "2001-01-01"}, "target_on"),
        ({"target_on": "31/02/2026"}, "target_on"),
        ({"status": "finished"}, "status"),
        ({"progress": "halfway"}, "progress"),
        ({"area": "sports"}, "area"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(client, cast, goal, changes, field):
    client.force_login(cast.caseworker)

    response = client.post(page(goal), form_data(goal, **({"status": "achieved"} | changes)))

    assert response.status_code == 400
    assert response.context["form"].errors.get(field)
    saved = CareGoal.objects.get(pk=goal.pk)
    assert (saved.status, saved.version) == ("open", 1)


def test_the_second_of_two_editors_is_refused_with_what_changed(client, cast, goal):
    opened = form_data(goal)
    update_care_goal(goal, by=cast.supervisor, expected_version=1, progress="stuck")
    client.force_login(cast.caseworker)

    response = client.post(page(goal), opened | {"status": "dropped"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Somebody else saved this" in html and "progress" in html
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == ("open", "stuck")


def test_a_status_changed_from_elsewhere_makes_an_open_goal_page_stale(cast, goal):
    set_care_goal_status(goal, status="dropped", by=cast.supervisor)

    with pytest.raises(StaleEdit):
        update_care_goal(goal, by=cast.caseworker, expected_version=1, progress="some")


def test_a_goal_change_moves_the_plans_version_too(cast, goal):
    plan_version = CarePlan.objects.get(pk=goal.plan_id).version

    update_care_goal(goal, by=cast.caseworker, status="achieved")

    assert CarePlan.objects.get(pk=goal.plan_id).version == plan_version + 1
    assert update_care_goal(goal, by=cast.caseworker, status="achieved") == []


@pytest.mark.parametrize("user", ["analyst", "operator", "partner_caseworker"])
def test_who_may_not_edit_the_goal_gets_a_404(client, cast, goal, user):
    client.force_login(getattr(cast, user))

    assert client.get(page(goal)).status_code == 404
    assert client.post(page(goal), form_data(goal, status="dropped")).status_code == 404
    assert CareGoal.objects.get(pk=goal.pk).status == "open"


def test_opening_the_goal_page_is_a_recorded_read(client, cast, goal):
    from okoa.audit.models import AccessRecord

    client.force_login(cast.caseworker)

    assert client.get(page(goal)).status_code == 200
    assert AccessRecord.objects.filter(
        user=cast.caseworker, record_kind="case", record_code=goal.plan.case.code
    ).exists()
