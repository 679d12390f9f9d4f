"""Overdue follow-ups appear on the caseworker's list (their own cases) and the supervisor's
(everybody's), with time moved forward."""

import datetime

from django.db.models import F
from django.utils import timezone

from okoa.care.access import overdue_follow_ups_for_user
from okoa.care.actions import start_reintegration
from okoa.care.models import FollowUpVisit


def test_a_visit_past_its_due_date_is_overdue_for_its_caseworker_and_the_supervisor(
    cast, make_case
):
    mine = make_case(assigned_to=cast.caseworker)
    unassigned = make_case(given_name="Akinyi")
    today = timezone.localdate()
    for case in (mine, unassigned):
        start_reintegration(case, started_on=today, by=cast.caseworker)
    later = today + datetime.timedelta(days=40)  # past the visit due at one month

    for_caseworker = overdue_follow_ups_for_user(cast.membership(cast.caseworker), later)
    for_supervisor = overdue_follow_ups_for_user(cast.membership(cast.supervisor), later)

    assert [(visit.case, visit.month) for visit in for_caseworker] == [(mine, 1)]
    assert {visit.case for visit in for_supervisor} == {mine, unassigned}
    assert overdue_follow_ups_for_user(cast.membership(cast.analyst), later) == []
    assert overdue_follow_ups_for_user(cast.membership(cast.caseworker), today) == []


def test_the_overdue_page_lists_the_supervisors_view_in_few_queries(
    client, cast, make_case, django_assert_max_num_queries
):
    for name in ("Akinyi", "Njeri", "Wambui"):
        case = make_case(given_name=name, assigned_to=cast.caseworker)
        start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    # A hundred days on: move the schedule back rather than the clock.
    FollowUpVisit.objects.update(due_on=F("due_on") - datetime.timedelta(days=100))
    client.force_login(cast.supervisor)

    with django_assert_max_num_queries(12):
        html = client.get("/follow-ups/overdue/").content.decode()

    assert html.count("<tr>") == 1 + 3 * 2  # header, then months 1 and 3 of each case
