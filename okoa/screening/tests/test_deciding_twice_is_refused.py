"""A screening is decided once; another conclusion later means a new screening."""

import pytest
from django.core.exceptions import ValidationError

from okoa.screening.actions import decide_screening


def test_a_decided_screening_cannot_be_decided_again(cast, make_case, screen):
    screening = screen(make_case())
    decide_screening(screening, decision="presumed_victim", by=cast.caseworker)

    with pytest.raises(ValidationError) as refused:
        decide_screening(
            screening, decision="not_trafficking_refer", reason="Changed my mind", by=cast.admin
        )

    assert list(refused.value.error_dict) == ["decision"]
    screening.refresh_from_db()
    assert screening.decision == "presumed_victim"
    assert screening.decided_by == cast.caseworker


def test_a_decided_screening_shows_no_decision_form(client, cast, make_case, screen):
    case = make_case()
    screening = screen(case)
    decide_screening(screening, decision="presumed_victim", by=cast.caseworker)
    client.force_login(cast.supervisor)

    html = client.get(f"/cases/{case.code}/screenings/{screening.code}/").content.decode()

    assert 'name="decision"' not in html
    assert "Presumed victim of trafficking" in html


def test_an_unknown_decision_is_refused(cast, make_case, screen):
    screening = screen(make_case())

    with pytest.raises(ValidationError) as refused:
        decide_screening(screening, decision="victim", reason="x", by=cast.caseworker)

    assert list(refused.value.error_dict) == ["decision"]
