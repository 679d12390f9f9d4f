"""A refused screening saves nothing: no screening, no answers, no timeline entry."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.cases.models import CaseEvent
from okoa.reference.models import CodeListItem
from okoa.screening.actions import record_screening
from okoa.screening.models import Screening, ScreeningAnswer


def nothing_saved(case):
    return (
        not Screening.objects.exists()
        and not ScreeningAnswer.objects.exists()
        and not case.events.filter(kind=CaseEvent.Kind.SCREENED).exists()
        and not ChangeRecord.objects.filter(record_kind="screening").exists()
    )


def test_an_answer_that_is_not_yes_no_or_unknown_is_refused_by_the_form(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/screening/new/",
        {"age_group": "adult", "answer__palermo_act__TARC": "maybe"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in html
    assert 'href="#id_answer__palermo_act__TARC_0"' in html
    assert nothing_saved(case)


def test_a_missing_age_group_is_refused_by_the_form(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/screening/new/", {})

    assert response.status_code == 400
    assert nothing_saved(case)


def test_a_recorded_child_screened_as_an_adult_is_refused_on_the_form(client, cast, make_case):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    case = make_case(date_of_birth=datetime.date(today.year - 15, 1, 1))
    client.force_login(cast.caseworker)
    page = client.get(f"/cases/{case.code}/screening/new/")
    data = {
        name: field.initial
        for name, field in page.context["form"].fields.items()
        if name.startswith("answer__")
    }

    response = client.post(f"/cases/{case.code}/screening/new/", {**data, "age_group": "adult"})

    assert response.status_code == 400
    assert "The date of birth on file makes this person a child" in response.content.decode()
    assert nothing_saved(case)


def test_the_action_refuses_items_of_other_lists(cast, make_case, items):
    case = make_case()
    not_a_question = CodeListItem.objects.filter(list="exploitation_type").first()
    assert not_a_question is not None

    with pytest.raises(ValidationError) as refused:
        record_screening(
            case,
            answers={items["palermo_act:TARC"]: "yes", not_a_question: "yes"},
            by=cast.caseworker,
        )

    assert "answers" in refused.value.error_dict
    assert nothing_saved(case)


def test_the_action_refuses_an_answer_outside_yes_no_unknown(cast, make_case, items):
    case = make_case()

    with pytest.raises(ValidationError):
        record_screening(case, answers={items["palermo_act:TARC"]: "probably"}, by=cast.caseworker)

    assert nothing_saved(case)
