"""A report becomes a person and a case in one step, pre-filled from the report; the report moves
to being handled and lists its cases."""

from okoa.cases.models import Case
from okoa.intake.actions import open_case_from_report
from okoa.intake.models import Report, ReportCase, ReportEvent
from okoa.people.models import Person


def person_and_case_form(**overrides):
    data = {
        "person-given_name": "Halima",
        "person-family_name": "Chepkoech",
        "person-sex": "female",
        "person-disability": "unknown",
        "person-phone_numbers": "0733 456 789",
        "case-scope": "transnational",
        "case-countries_of_exploitation": ["SA"],
        "case-narrative": "Locked in the employer's house in Dammam.",
        "case-assigned_to": "",
    }
    data.update(overrides)
    return data


def test_the_form_is_pre_filled_from_the_report(client, cast, make_report, countries):
    report = make_report(
        subject_names=["Halima Chepkoech"],
        subject_phone_numbers=["0733 456 789"],
        location_country=countries.saudi_arabia,
        narrative="Locked in the employer's house.",
    ).report
    client.force_login(cast.caseworker)

    response = client.get(f"/intake/reports/{report.code}/cases/new/")

    person_form, case_form = response.context["person_form"], response.context["case_form"]
    assert person_form.initial["given_name"] == "Halima"
    assert person_form.initial["family_name"] == "Chepkoech"
    assert person_form.initial["phone_numbers"] == "0733 456 789"
    assert case_form.initial["countries_of_exploitation"] == ["SA"]
    assert case_form.initial["narrative"] == "Locked in the employer's house."


def test_a_caseworker_opens_a_case_from_a_report(client, cast, make_report, countries):
    report = make_report(subject_names=["Halima Chepkoech"]).report
    client.force_login(cast.caseworker)

    response = client.post(
        f"/intake/reports/{report.code}/cases/new/",
        person_and_case_form(**{"case-assigned_to": cast.caseworker.code}),
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.code}/"
    assert case.person.full_name == "Halima Chepkoech"
    assert case.organisation == cast.ngo
    assert case.assigned_to == cast.caseworker
    assert list(case.countries_of_exploitation.values_list("code", flat=True)) == ["SA"]
    report.refresh_from_db()
    assert report.status == Report.Status.BEING_HANDLED
    assert ReportCase.objects.get().report == report
    assert report.events.filter(kind=ReportEvent.Kind.CASE_OPENED, data__case=case.code).exists()


def test_a_report_about_several_people_opens_several_cases(cast, make_report):
    report = make_report(subject_names=["Halima Chepkoech", "Zuhura Atieno"]).report

    for name in ("Halima", "Zuhura"):
        open_case_from_report(report, by=cast.caseworker, person_values={"given_name": name})

    assert Case.objects.count() == 2
    assert report.case_links.count() == 2


def test_the_report_page_lists_its_cases(client, cast, make_report):
    report = make_report().report
    case = open_case_from_report(report, by=cast.caseworker, person_values={"given_name": "Imani"})
    client.force_login(cast.operator)

    text = client.get(f"/intake/reports/{report.code}/").content.decode()

    assert case.reference in text
    assert f"/cases/{case.code}/" not in text  # operators see no case files


def test_an_invalid_person_saves_neither_person_nor_case(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.caseworker)

    response = client.post(
        f"/intake/reports/{report.code}/cases/new/",
        person_and_case_form(**{"person-phone_numbers": "12"}),
    )

    assert response.status_code == 400
    assert not Person.objects.exists()
    assert not Case.objects.exists()
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_hotline_operators_cannot_open_cases(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)

    assert client.get(f"/intake/reports/{report.code}/cases/new/").status_code == 403
    assert (
        client.post(f"/intake/reports/{report.code}/cases/new/", person_and_case_form()).status_code
        == 403
    )
    assert not Case.objects.exists()
