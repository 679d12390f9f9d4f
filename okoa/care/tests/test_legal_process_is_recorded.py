"""The legal process of a case: police report, P3 form, court case, stage, the survivor's role and
hearing dates; the timeline names the fields, never the numbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.actions import StaleEdit, add_hearing, update_legal_process
from okoa.care.models import LegalProcess
from okoa.cases.models import CaseEvent


def test_the_police_report_and_court_case_are_recorded(cast, make_case):
    case = make_case()

    changed = update_legal_process(
        case,
        by=cast.caseworker,
        ob_number="OB 12/04/2026",
        police_station="Kilindini",
        p3_status="filled",
        court_case_number="MCCR/E123/2026",
        court="Mombasa Law Courts",
        stage="trial",
        survivor_role="complainant",
    )
    add_hearing(case, held_on=timezone.localdate(), by=cast.caseworker)

    process = LegalProcess.objects.get(case=case)
    assert (process.stage, process.survivor_role, process.version) == ("trial", "complainant", 2)
    assert process.hearings.count() == 1
    assert "ob_number" in changed
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.UPDATED)
    assert all("OB 12" not in str(event.data) for event in events)


def test_an_unknown_stage_and_a_future_report_are_refused_per_field(cast, make_case):
    case = make_case()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        update_legal_process(case, by=cast.caseworker, reported_on=tomorrow)
    assert list(raised.value.message_dict) == ["reported_on"]
    with pytest.raises(ValidationError) as raised:
        update_legal_process(case, by=cast.caseworker, stage="lost")
    assert list(raised.value.message_dict) == ["stage"]


def test_the_second_of_two_editors_is_refused(cast, make_case):
    case = make_case()
    update_legal_process(case, by=cast.caseworker, police_station="Kilindini")
    update_legal_process(case, by=cast.supervisor, expected_version=2, stage="charged")

    with pytest.raises(StaleEdit) as raised:
        update_legal_process(case, by=cast.caseworker, expected_version=2, court="Voi")

    assert "stage" in raised.value.messages[0]


def test_the_analyst_sees_the_stage_but_not_the_numbers(client, cast, make_case):
    case = make_case()
    update_legal_process(case, by=cast.caseworker, ob_number="OB 77/2026", stage="charged")
    client.force_login(cast.analyst)

    response = client.get(f"/cases/{case.code}/legal/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Suspects charged" in html and "OB 77" not in html
    assert client.post(f"/cases/{case.code}/legal/", {"stage": "trial"}).status_code == 404
