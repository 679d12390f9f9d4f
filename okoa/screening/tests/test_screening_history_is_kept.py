"""Screenings are append-only: each new screening of a case is a new row in its history."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.screening.actions import decide_screening
from okoa.screening.models import Screening


def test_a_second_screening_adds_to_the_history_and_changes_nothing_earlier(
    cast, make_case, screen
):
    case = make_case()
    first = screen(case, {"palermo_act:TARC": "yes"})
    decide_screening(first, decision="further_screening", by=cast.caseworker)
    second = screen(case)

    first.refresh_from_db()
    assert list(case.screenings.all()) == [second, first]
    assert first.suggestion == "further_screening"
    assert first.decision == "further_screening"
    assert first.answers.get(item__code="TMDC").answer == "unknown"
    assert second.suggestion == "presumed_victim"
    assert not second.is_decided


def test_every_item_is_recorded_even_when_left_out(make_case, screen, items):
    screening = screen(make_case(), {"palermo_act:TARC": "yes"})

    assert screening.answers.count() == len(items)
    assert screening.answers.filter(answer="unknown").count() == len(items) - 1


def test_the_history_page_lists_every_screening_newest_first(client, cast, make_case, screen):
    case = make_case()
    first = screen(case, {"palermo_act:TARC": "yes"})
    decide_screening(
        first, decision="presumed_victim", reason="Told us more after", by=cast.supervisor
    )
    second = screen(case)
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/screenings/").content.decode()

    assert html.index(second.code) < html.index(first.code)
    assert "differs from the suggestion" in html
    assert "Not decided yet" in html


def test_the_history_page_costs_the_same_queries_for_many_screenings(
    client, cast, make_case, screen
):
    case = make_case()
    screen(case)
    client.force_login(cast.caseworker)
    client.get(f"/cases/{case.code}/screenings/")  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(f"/cases/{case.code}/screenings/")
    for _ in range(4):
        decide_screening(screen(case), decision="presumed_victim", by=cast.supervisor)

    with CaptureQueriesContext(connection) as five:
        response = client.get(f"/cases/{case.code}/screenings/")

    assert Screening.objects.filter(case=case).count() == 5
    assert response.status_code == 200
    assert len(five) == len(one)
