import pytest
from django.core.exceptions import ValidationError

from okoa.cases.actions import change_case_status, open_case
from okoa.cases.models import Case, CaseEvent
from okoa.people.actions import create_person

S = Case.Status


@pytest.fixture
def case(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Jelagat", family_name="Rono")
    return open_case(person, by=cast.caseworker)


ALL_PAIRS = [(a, b) for a in S for b in S if a != b]


@pytest.mark.parametrize(("start", "target"), ALL_PAIRS)
def test_every_transition_is_allowed_exactly_when_the_table_says(cast, case, start, target):
    Case.objects.filter(pk=case.pk).update(
        status=start, closed_at=case.opened_at if start == S.CLOSED else None
    )
    case.refresh_from_db()
    if target in Case.TRANSITIONS[start]:
        change_case_status(case, to=target, by=cast.supervisor, reason="test")
        assert case.status == target
        assert (case.closed_at is not None) == (target == S.CLOSED)
    else:
        with pytest.raises(ValidationError):
            change_case_status(case, to=target, by=cast.supervisor)
        case.refresh_from_db()
        assert case.status == start


def test_a_status_change_is_on_the_timeline(cast, case):
    change_case_status(case, to=S.IN_CARE, by=cast.caseworker, reason="Admitted to shelter")
    event = case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED).get()
    assert event.data == {"previous": "open", "to": "in_care"}
    assert event.text == "Admitted to shelter"
    assert event.by == cast.caseworker


def test_the_database_refuses_a_closed_case_without_a_closing_time(case):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(status=S.CLOSED, closed_at=None)
