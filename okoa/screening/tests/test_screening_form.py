"""The questionnaire end to end: open it from a case, answer, see the suggestion, decide."""

import re

from okoa.cases.models import CaseEvent
from okoa.screening.models import Screening


def form_data(answers: dict[str, str], *, age_group: str = "adult", **extra: str) -> dict:
    data = {"age_group": age_group}
    data.update({f"answer__{key.replace(':', '__')}": value for key, value in answers.items()})
    data.update(extra)
    return data


def all_unknown(items) -> dict[str, str]:
    return dict.fromkeys(items, "unknown")


def test_the_form_groups_the_questions_by_element_in_fieldsets(client, cast, make_case, items):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.get(f"/cases/{case.code}/screening/new/")

    html = response.content.decode()
    assert response.status_code == 200
    for legend in (
        "Act: what was done to the person",
        "Means: how it was done",
        "Purpose: why it was done",
        "ILO indicators of forced labour",
        "Methods of control (HTCDS)",
    ):
        assert f"<legend>{legend}</legend>" in html
    # Each item is a radio group of its own, with a legend and all three answers.
    assert html.count('type="radio"') == 3 * len(items) + 4
    assert re.search(r"<legend[^>]*>\s*Recruitment:?\s*</legend>", html)
    assert 'name="answer__palermo_act__TARC" value="unknown"' in html


def test_the_age_question_is_prefilled_from_the_date_of_birth(client, cast, make_case):
    case = make_case()  # born 1995
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/screening/new/").content.decode()

    assert re.search(r'name="age_group" value="adult"[^>]*checked', html)


def test_answering_shows_the_suggestion_and_its_reasons(client, cast, make_case, items):
    case = make_case()
    client.force_login(cast.caseworker)
    answers = all_unknown(items) | {
        "palermo_act:TARC": "yes",
        "ilo_indicator:DocumentRetention": "yes",
        "ilo_indicator:WageWithholding": "yes",
    }

    response = client.post(
        f"/cases/{case.code}/screening/new/",
        form_data(answers, note__palermo_act__TARC="Met the recruiter at a bus stage in Kitale."),
    )

    screening = Screening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.code}/screenings/{screening.code}/"
    assert screening.suggestion == "presumed_victim"
    assert screening.answers.get(item__code="TARC").note.startswith("Met the recruiter")
    page = client.get(response["Location"]).content.decode()
    assert "Presumed victim of trafficking" in page
    assert "Act present: Recruitment." in page
    assert "2 ILO indicators of forced labour together point to forced labour" in page
    assert "Retention of identity documents, Withholding of wages" in page
    assert "Met the recruiter at a bus stage in Kitale." in page
    assert 'name="decision"' in page


def test_the_decision_is_recorded_and_both_steps_are_on_the_case_timeline(
    client, cast, make_case, items
):
    case = make_case()
    client.force_login(cast.caseworker)
    client.post(
        f"/cases/{case.code}/screening/new/",
        form_data(all_unknown(items) | {"palermo_act:TARC": "yes"}),
    )
    screening = Screening.objects.get()
    assert screening.suggestion == "further_screening"

    response = client.post(
        f"/cases/{case.code}/screenings/{screening.code}/decision/",
        {"decision": "further_screening", "reason": ""},
    )

    screening.refresh_from_db()
    assert response.status_code == 302
    assert screening.decision == "further_screening"
    assert screening.decided_by == cast.caseworker
    kinds = list(case.events.values_list("kind", "data"))
    assert (
        CaseEvent.Kind.SCREENED,
        {"screening": screening.code, "suggestion": "further_screening", "age_group": "adult"},
    ) in kinds
    assert (
        CaseEvent.Kind.SCREENING_DECIDED,
        {
            "screening": screening.code,
            "suggestion": "further_screening",
            "decision": "further_screening",
            "differs": False,
        },
    ) in kinds
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "Screened for trafficking" in page
    assert "Screening decided" in page


def test_a_new_screening_starts_from_the_answers_of_the_latest(client, cast, make_case, screen):
    case = make_case()
    screen(case, {"palermo_act:TARC": "yes"}, notes={"palermo_act:TARC": "Private note"})
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{case.code}/screening/new/").content.decode()

    assert re.search(r'name="answer__palermo_act__TARC" value="yes"[^>]*checked', html)
    assert "Private note" not in html


def test_the_form_works_in_kiswahili(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    html = client.get(
        f"/cases/{case.code}/screening/new/", HTTP_ACCEPT_LANGUAGE="sw"
    ).content.decode()

    assert "Uajiri" in html  # Recruitment
    assert "Udanganyifu" in html  # Deception
