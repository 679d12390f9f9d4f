"""A person decides; a decision that differs from Okoa's suggestion needs a reason."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.cases.models import CaseEvent
from okoa.screening.actions import decide_screening


def test_a_decision_that_differs_without_a_reason_is_refused(cast, make_case, screen):
    screening = screen(make_case())
    assert screening.suggestion == "presumed_victim"

    with pytest.raises(ValidationError) as refused:
        decide_screening(screening, decision="further_screening", reason="  ", by=cast.supervisor)

    assert list(refused.value.error_dict) == ["reason"]
    screening.refresh_from_db()
    assert not screening.is_decided
    assert not screening.case.events.filter(kind=CaseEvent.Kind.SCREENING_DECIDED).exists()


def test_a_decision_that_differs_with_a_reason_is_recorded(cast, make_case, screen):
    screening = screen(make_case())

    decide_screening(
        screening,
        decision="further_screening",
        reason="She is still afraid to talk about the employer; see her again with a counsellor.",
        by=cast.supervisor,
    )

    screening.refresh_from_db()
    assert screening.decision == "further_screening"
    assert screening.decision_differs
    assert screening.decision_reason.startswith("She is still afraid")
    event = screening.case.events.get(kind=CaseEvent.Kind.SCREENING_DECIDED)
    assert event.data["differs"] is True
    assert "afraid" not in str(event.data)  # the reason stays in the encrypted field


def test_a_decision_that_follows_the_suggestion_needs_no_reason(cast, make_case, screen):
    screening = screen(make_case())

    decide_screening(screening, decision="presumed_victim", by=cast.caseworker)

    screening.refresh_from_db()
    assert screening.decision == "presumed_victim"
    assert not screening.decision_differs
    assert ChangeRecord.objects.filter(
        record_kind="screening", record_code=screening.code, action="decided"
    ).exists()


def test_the_decision_form_shows_the_missing_reason_next_to_the_field(
    client, cast, make_case, screen
):
    case = make_case()
    screening = screen(case)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/screenings/{screening.code}/decision/",
        {"decision": "not_trafficking_refer", "reason": ""},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your decision differs from Okoa" in html
    assert 'href="#id_reason"' in html
    screening.refresh_from_db()
    assert not screening.is_decided


def test_the_reason_is_stored_encrypted(cast, make_case, screen):
    from django.db import connection

    screening = screen(make_case())
    decide_screening(
        screening, decision="not_trafficking_refer", reason="Wekesa family dispute", by=cast.admin
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT decision_reason FROM screening_screening WHERE id = %s", [screening.pk]
        )
        [stored] = cursor.fetchone()
    assert "Wekesa" not in stored
