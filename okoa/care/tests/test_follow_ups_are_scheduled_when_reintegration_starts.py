"""Starting reintegration schedules the follow-up visits: 1, 3, 6, 12, 18 and 24 months by
default, or the organisation's own months."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.actions import add_months, set_follow_up_months, start_reintegration
from okoa.cases.models import CaseEvent


def test_the_default_schedule_has_six_visits_over_two_years(cast, make_case):
    case = make_case()
    started = timezone.localdate()

    visits = start_reintegration(case, started_on=started, by=cast.caseworker)

    assert [visit.month for visit in visits] == [1, 3, 6, 12, 18, 24]
    assert visits[-1].due_on == add_months(started, 24)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.REINTEGRATION_STARTED)
    assert event.data == {"months": [1, 3, 6, 12, 18, 24]}


def test_an_organisation_chooses_its_own_months(cast, make_case):
    set_follow_up_months(cast.ngo, months=[2, 6, 12], by=cast.admin)
    case = make_case()

    visits = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)

    assert [visit.month for visit in visits] == [2, 6, 12]


def test_reintegration_starts_only_once(cast, make_case):
    case = make_case()
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)

    with pytest.raises(ValidationError):
        start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)


def test_months_are_added_to_the_calendar_not_as_thirty_days():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 11, 15), 24) == datetime.date(2028, 11, 15)
