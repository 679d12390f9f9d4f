"""Supervisors and administrators set their organisation's follow-up schedule: the months
(1 to 36, increasing, no repeats, at most 12 visits) and the days a visit may be late before it
is overdue. New months apply to reintegrations started afterwards, never to existing ones."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.care.access import overdue_follow_ups_for_user
from okoa.care.actions import set_follow_up_policy, start_reintegration
from okoa.care.models import FollowUpPolicy, FollowUpVisit

PAGE = "/follow-ups/policy/"


def test_the_page_shows_the_default_schedule_and_says_existing_ones_are_kept(client, cast):
    client.force_login(cast.admin)

    html = client.get(PAGE).content.decode()

    assert 'value="1, 3, 6, 12, 18, 24"' in html
    assert "schedules already started keep their visits" in html


def test_a_supervisor_sets_the_schedule_and_the_change_is_recorded(client, cast):
    client.force_login(cast.supervisor)

    response = client.post(PAGE, {"months": "2, 4, 8;12 24", "overdue_after_days": "7"})

    assert response.status_code == 302
    policy = FollowUpPolicy.objects.get(organisation=cast.ngo)
    assert (policy.months, policy.overdue_after_days) == ([2, 4, 8, 12, 24], 7)
    assert policy.updated_by == cast.supervisor
    record = ChangeRecord.objects.get(record_kind="follow_up_policy")
    assert record.fields == ["months", "overdue_after_days"] and record.user == cast.supervisor


@pytest.mark.parametrize(
    ("months", "days", "field", "message"),
    [
        ("", "0", "months", "This field is required"),
        ("1, three, 6", "0", "months", "whole numbers"),
        ("1, -3, 6", "0", "months", "whole numbers"),
        ("0, 3, 6", "0", "months", "between 1 and 36"),
        ("1, 3, 37", "0", "months", "between 1 and 36"),
        ("1, 3, 3, 6", "0", "months", "repeated: 3"),
        ("6, 3, 1", "0", "months", "increasing order"),
        ("1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13", "0", "months", "At most 12 visits"),
        ("1, 3, 6", "61", "overdue_after_days", "between 0 and 60"),
        ("1, 3, 6", "-1", "overdue_after_days", "between 0 and 60"),
        ("1, 3, 6", "a week", "overdue_after_days", "Enter a whole number"),
    ],
)
def test_a_bad_schedule_is_refused_on_its_field_and_nothing_changes(
    client, cast, months, days, field, message
):
    client.force_login(cast.admin)

    response = client.post(PAGE, {"months": months, "overdue_after_days": days})

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not FollowUpPolicy.objects.exists()


def test_new_months_apply_to_reintegrations_started_afterwards_only(cast, make_case):
    before = make_case(given_name="Akinyi")
    start_reintegration(before, started_on=timezone.localdate(), by=cast.caseworker)

    set_follow_up_policy(cast.ngo, months=[2, 9], overdue_after_days=0, by=cast.admin)
    after = make_case(given_name="Njeri")
    start_reintegration(after, started_on=timezone.localdate(), by=cast.caseworker)

    def months(case):
        return list(FollowUpVisit.objects.filter(case=case).values_list("month", flat=True))

    assert months(before) == [1, 3, 6, 12, 18, 24]
    assert months(after) == [2, 9]


def test_the_days_late_decide_when_a_visit_is_overdue_for_every_visit(cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    due = FollowUpVisit.objects.get(case=case, month=1).due_on
    five_days_late = due + datetime.timedelta(days=5)
    membership = cast.membership(cast.caseworker)

    assert len(overdue_follow_ups_for_user(membership, five_days_late)) == 1
    set_follow_up_policy(cast.ngo, months=[1, 3], overdue_after_days=7, by=cast.admin)
    assert overdue_follow_ups_for_user(membership, five_days_late) == []
    assert len(overdue_follow_ups_for_user(membership, due + datetime.timedelta(days=8))) == 1


def test_another_organisations_schedule_is_its_own(cast, make_case):
    set_follow_up_policy(
        cast.partner, months=[1], overdue_after_days=30, by=cast.partner_caseworker
    )
    case = make_case()

    visits = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)

    assert [visit.month for visit in visits] == [1, 3, 6, 12, 18, 24]


def test_the_action_refuses_what_the_page_refuses(cast):
    with pytest.raises(ValidationError) as raised:
        set_follow_up_policy(cast.ngo, months=[3, 1, 1], overdue_after_days=99, by=cast.admin)

    assert set(raised.value.message_dict) == {"months", "overdue_after_days"}


@pytest.mark.parametrize("user", ["caseworker", "analyst", "operator"])
def test_only_supervisors_and_administrators_open_the_page(client, cast, user):
    client.force_login(getattr(cast, user))

    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"months": "1", "overdue_after_days": "0"}).status_code == 404
    assert not FollowUpPolicy.objects.exists()


def test_the_page_has_no_inline_code(client, cast):
    client.force_login(cast.admin)

    html = client.get(PAGE).content.decode()

    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_the_case_schedule_marks_a_visit_overdue_only_after_the_days_late(client, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    # Three days past the first visit's due date: move the schedule rather than the clock.
    first = FollowUpVisit.objects.get(case=case, month=1)
    shift = first.due_on - timezone.localdate() + datetime.timedelta(days=3)
    FollowUpVisit.objects.filter(case=case).update(due_on=F("due_on") - shift)
    client.force_login(cast.caseworker)
    page = f"/cases/{case.code}/follow-ups/"

    assert "<strong>overdue</strong>" in client.get(page).content.decode()
    set_follow_up_policy(cast.ngo, months=[1, 3], overdue_after_days=7, by=cast.admin)
    assert "<strong>overdue</strong>" not in client.get(page).content.decode()
