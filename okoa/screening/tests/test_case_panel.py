"""The case page shows the latest screening and leads to the questionnaire and the history."""

from okoa.audit.models import AccessRecord
from okoa.screening.actions import decide_screening


def test_an_unscreened_case_offers_a_screening(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/").content.decode()

    assert "This case has not been screened yet." in html
    assert f'href="/cases/{case.code}/screening/new/"' in html


def test_the_latest_screening_and_its_decision_are_shown_and_recorded(
    client, cast, make_case, screen
):
    case = make_case()
    screen(case, {"palermo_act:TARC": "yes"})
    latest = screen(case)
    decide_screening(latest, decision="presumed_victim", by=cast.supervisor)
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/").content.decode()

    assert "Latest suggestion" in html
    assert html.count("Presumed victim of trafficking") == 2  # suggestion and decision
    assert f'href="/cases/{case.code}/screenings/{latest.code}/"' in html
    assert f'href="/cases/{case.code}/screenings/"' in html
    assert AccessRecord.objects.filter(
        user=cast.caseworker, record_kind="screening", record_code=latest.code
    ).exists()


def test_the_analyst_sees_the_panel_without_the_questionnaire(client, cast, make_case, screen):
    case = make_case()
    screen(case)
    client.force_login(cast.analyst)

    html = client.get(f"/cases/{case.code}/").content.decode()

    assert "Latest suggestion" in html
    assert "/screening/new/" not in html
