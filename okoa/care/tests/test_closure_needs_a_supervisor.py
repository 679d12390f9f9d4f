"""Closure is requested with a reason and approved or returned by a supervisor; a closed case is
reopened with a reason; every step is on the timeline. The plain status form cannot close."""

import pytest
from django.core.exceptions import ValidationError

from okoa.care.actions import approve_closure, reopen_case, request_closure, return_closure
from okoa.cases.models import Case, CaseEvent


def _steps(case):
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS_CHANGED)
    return [(event.data["to"], event.text) for event in reversed(events)]


def test_request_return_request_approve_and_reopen_are_all_on_the_timeline(cast, make_case):
    case = make_case()

    request_closure(case, reason="Goals met", by=cast.caseworker)
    return_closure(case, reason="Last follow-up missing", by=cast.supervisor)
    request_closure(case, reason="Follow-up done", by=cast.caseworker)
    approve_closure(case, by=cast.supervisor)
    reopen_case(case, reason="Recruiter called again", by=cast.caseworker)

    assert case.status == Case.Status.IN_CARE
    assert _steps(case) == [
        ("closure_requested", "Goals met"),
        ("in_care", "Last follow-up missing"),
        ("closure_requested", "Follow-up done"),
        ("closed", ""),
        ("in_care", "Recruiter called again"),
    ]


def test_a_caseworker_cannot_approve_a_closure(cast, make_case):
    case = make_case()
    request_closure(case, reason="Goals met", by=cast.caseworker)

    with pytest.raises(ValidationError):
        approve_closure(case, by=cast.caseworker)

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


@pytest.mark.parametrize("action", [request_closure, return_closure, reopen_case])
def test_a_reason_is_required(cast, make_case, action):
    case = make_case()

    with pytest.raises(ValidationError) as raised:
        action(case, reason="  ", by=cast.supervisor)

    assert "reason" in raised.value.message_dict


def test_the_supervisor_approves_through_the_closure_page(client, cast, make_case):
    case = make_case()
    request_closure(case, reason="Goals met", by=cast.caseworker)
    client.force_login(cast.supervisor)

    response = client.post(f"/cases/{case.code}/closure/", {"decision": "approve"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_the_caseworker_is_not_offered_the_approval(client, cast, make_case):
    case = make_case()
    request_closure(case, reason="Goals met", by=cast.caseworker)
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/closure/", {"decision": "approve"})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED


def test_the_plain_status_form_refuses_a_caseworker_closing(client, cast, make_case):
    case = make_case()
    request_closure(case, reason="Goals met", by=cast.caseworker)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/status/", {"status-to": "closed", "status-reason": "Closing myself"}
    )

    assert response.status_code == 400
    assert "Only a supervisor closes a case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSURE_REQUESTED
