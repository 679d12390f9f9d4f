"""Data analysts see answers, suggestions and decisions, never notes or decision reasons;
hotline operators see no screenings at all."""

import pytest

from okoa.screening.access import get_screening_for_user, screenings_for_user
from okoa.screening.actions import decide_screening

NOTE = "Kerubo says the broker kept her passport in Mombasa"
REASON = "Nafula fears for her sister"


@pytest.fixture
def decided(cast, make_case, screen):
    case = make_case()
    screening = screen(case, notes={"palermo_act:TARC": NOTE})
    decide_screening(screening, decision="further_screening", reason=REASON, by=cast.supervisor)
    return case, screening


def test_the_analyst_sees_the_suggestion_and_decision_but_no_free_text(client, cast, decided):
    case, screening = decided
    client.force_login(cast.analyst)

    html = client.get(f"/cases/{case.code}/screenings/{screening.code}/").content.decode()

    assert "Presumed victim of trafficking" in html
    assert "Further screening needed" in html
    assert "Act present: Recruitment." in html
    assert "Kerubo" not in html
    assert "Nafula" not in html
    assert 'name="decision"' not in html


def test_the_caseworker_sees_the_notes_and_the_reason(client, cast, decided):
    case, screening = decided
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/screenings/{screening.code}/").content.decode()

    assert NOTE in html
    assert REASON in html


def test_notes_and_reasons_are_not_even_loaded_for_the_analyst(cast, decided):
    case, screening = decided
    analyst = cast.membership(cast.analyst)

    loaded = get_screening_for_user(analyst, case, screening.code)

    assert "decision_reason" in loaded.get_deferred_fields()
    assert all("note" in answer.get_deferred_fields() for answer in loaded.answers.all())


def test_the_analyst_cannot_screen_or_decide(client, cast, decided):
    case, screening = decided
    client.force_login(cast.analyst)

    assert client.get(f"/cases/{case.code}/screening/new/").status_code == 404
    response = client.post(
        f"/cases/{case.code}/screenings/{screening.code}/decision/",
        {"decision": "presumed_victim"},
    )
    assert response.status_code == 404


def test_the_hotline_operator_sees_no_screenings(client, cast, decided):
    case, screening = decided
    client.force_login(cast.operator)

    assert client.get(f"/cases/{case.code}/screenings/{screening.code}/").status_code == 404
    assert client.get(f"/cases/{case.code}/screenings/").status_code == 404
    assert not screenings_for_user(cast.membership(cast.operator)).exists()
