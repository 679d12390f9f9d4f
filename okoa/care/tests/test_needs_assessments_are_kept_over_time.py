"""Needs assessments are repeated over time; each is kept and leaves a timeline entry."""

import datetime

from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.care.actions import record_needs_assessment
from okoa.care.models import CareArea, NeedsAssessment
from okoa.cases.models import CaseEvent


def test_a_second_assessment_is_added_beside_the_first(cast, make_case):
    case = make_case()
    today = timezone.localdate()
    first = record_needs_assessment(
        case, by=cast.caseworker, assessed_on=today, levels={"shelter": "urgent", "legal": "some"}
    )
    second = record_needs_assessment(
        case, by=cast.caseworker, assessed_on=today, levels={"shelter": "none"}, notes="Settled."
    )

    assert list(NeedsAssessment.objects.filter(case=case)) == [second, first]
    first.refresh_from_db()
    assert first.shelter == "urgent" and first.legal == "some" and first.safety == "unknown"
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NEEDS_ASSESSED)
    assert [event.data["urgent"] for event in events] == [[], ["shelter"]]
    assert ChangeRecord.objects.filter(record_kind="needs_assessment").count() == 2


def test_an_assessment_in_the_future_is_refused(cast, make_case):
    case = make_case()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    try:
        record_needs_assessment(case, by=cast.caseworker, assessed_on=tomorrow, levels={})
    except Exception as error:
        assert "assessed_on" in error.message_dict  # type: ignore[attr-defined]
    else:
        raise AssertionError("a future assessment was saved")
    assert not NeedsAssessment.objects.exists()


def test_the_assessment_form_saves_every_area(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)
    levels = dict.fromkeys(CareArea.values, "some")

    response = client.post(
        f"/cases/{case.code}/care/assessments/new/",
        {"assessed_on": timezone.localdate().isoformat(), "notes": "", **levels},
    )

    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get(case=case)
    assert {area: getattr(assessment, area) for area in CareArea.values} == levels
