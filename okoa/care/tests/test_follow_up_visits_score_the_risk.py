"""A follow-up visit records contact, wellbeing, progress and the re-trafficking risk factors;
the level is scored from the factors and its trend is shown on the case."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.access import risk_is_rising
from okoa.care.actions import StaleEdit, record_follow_up_visit, start_reintegration
from okoa.care.models import FollowUpVisit, risk_level_of
from okoa.cases.models import CaseEvent


def _record(visit, by, factors=(), **values):
    defaults: dict[str, Any] = {
        "visited_on": timezone.localdate(),
        "contact_mode": "home_visit",
        "wellbeing": "fair",
        "goal_progress": "some",
    }
    return record_follow_up_visit(visit, by=by, risk_factors=list(factors), **(defaults | values))


@pytest.mark.parametrize(
    ("factors", "level"),
    [
        ([], "low"),
        (["debt"], "low"),
        (["debt", "unemployment"], "medium"),
        (["recruiter_contact"], "high"),
        (["debt", "unemployment", "housing", "family_rejection"], "high"),
    ],
)
def test_the_risk_level_is_scored_from_the_factors(factors, level):
    assert risk_level_of(factors) == level


def test_a_recorded_visit_goes_on_the_timeline_with_its_risk(cast, make_case):
    case = make_case()
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]

    _record(visit, cast.caseworker, ["debt", "unemployment"], notes="Owes a moneylender.")

    assert (visit.risk_level, visit.wellbeing, visit.visited_by) == (
        "medium",
        "fair",
        cast.caseworker,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.FOLLOW_UP_RECORDED)
    assert event.data == {"visit": visit.code, "month": 1, "risk": "medium", "corrected": False}


def test_rising_risk_is_flagged(cast, make_case):
    case = make_case()
    first, second, *_rest = start_reintegration(
        case, started_on=timezone.localdate(), by=cast.caseworker
    )
    _record(first, cast.caseworker, [])
    _record(second, cast.caseworker, ["migration_intent"])

    assert risk_is_rising(list(FollowUpVisit.objects.filter(case=case)))


def test_unknown_choices_are_refused_per_field(cast, make_case):
    case = make_case()
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]

    with pytest.raises(ValidationError) as raised:
        _record(visit, cast.caseworker, ["lottery"], contact_mode="pigeon", wellbeing="")

    assert set(raised.value.message_dict) == {"risk_factors", "contact_mode", "wellbeing"}


def test_two_people_recording_the_same_visit_do_not_overwrite_each_other(cast, make_case):
    case = make_case()
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]
    _record(visit, cast.supervisor, ["debt"], expected_version=1)

    with pytest.raises(StaleEdit) as raised:
        _record(visit, cast.caseworker, [], wellbeing="good", expected_version=1)

    assert "risk_factors" in raised.value.messages[0]
    visit.refresh_from_db()
    assert visit.risk_factors == ["debt"]


def test_the_follow_up_page_shows_the_trend_without_notes_to_analysts(client, cast, make_case):
    case = make_case()
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]
    _record(visit, cast.caseworker, ["debt", "housing"], notes="Owes a moneylender.")
    client.force_login(cast.analyst)

    html = client.get(f"/cases/{case.code}/follow-ups/").content.decode()

    assert "Month 1: Medium" in html
    assert "moneylender" not in html
    assert f"/follow-ups/{visit.code}/" not in html


def test_recording_a_visit_through_the_page(client, cast, make_case):
    case = make_case()
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/follow-ups/{visit.code}/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "contact_mode": "phone",
            "wellbeing": "good",
            "goal_progress": "on_track",
            "risk_factors": ["unemployment"],
            "version": "1",
        },
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.contact_mode, visit.risk_level) == ("phone", "low")
