"""Operators record reports from walk-ins, social media, partner organisations and the police,
with the source kept, and correct them later; an edit based on an outdated copy is refused."""

from okoa.intake.actions import update_report
from okoa.intake.models import Report, ReportSearchToken


def staff_form(**overrides):
    data = {
        "channel": "social_media",
        "source_detail": "Facebook page message",
        "urgency": "3",
        "narrative": "A post says girls from Kilifi are kept in a flat in Beirut.",
        "location_country": "",
        "location_city": "Beirut",
        "location_details": "",
        "subject_names": "",
        "subject_phone_numbers": "",
        "subject_document_numbers": "",
        "estimated_people": "4",
        "reporter_relationship": "member_of_public",
        "reporter_name": "",
        "reporter_phone": "",
        "reporter_contact": "",
        "safe_contact": "",
        "recruitment_agency": "",
        "employer": "",
    }
    data.update(overrides)
    return data


def test_an_operator_records_a_social_media_report_with_its_source(client, cast):
    client.force_login(cast.operator)

    response = client.post("/intake/reports/new/", staff_form())

    report = Report.objects.get()
    assert response.status_code == 200
    assert report.reference in response.content.decode()
    assert response.context["received"].pin in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert report.channel == "social_media"
    assert report.source_detail == "Facebook page message"
    assert report.created_by == cast.operator
    assert report.organisation == cast.ngo


def test_every_staff_channel_is_kept(client, cast):
    client.force_login(cast.operator)
    for channel in ("walk_in", "partner_organisation", "police"):
        client.post("/intake/reports/new/", staff_form(channel=channel, source_detail="Kilimani"))

    assert sorted(Report.objects.values_list("channel", flat=True)) == [
        "partner_organisation",
        "police",
        "walk_in",
    ]


def test_immediate_danger_always_gets_the_top_urgency(client, cast):
    client.force_login(cast.operator)

    client.post("/intake/reports/new/", staff_form(immediate_danger="on", urgency="4"))

    report = Report.objects.get()
    assert report.immediate_danger and report.urgency == Report.Urgency.IMMEDIATE


def test_an_edit_changes_the_details_and_rebuilds_the_search_tokens(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)
    form = client.get(f"/intake/reports/{report.code}/edit/").context["form"]
    data = staff_form(**{k: v for k, v in form.initial.items() if v is not None})
    data.update(reporter_phone="0712 345 678", version=str(report.version), location_country="")
    data.pop("channel")

    response = client.post(f"/intake/reports/{report.code}/edit/", data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.reporter_phone == "0712 345 678"
    assert report.version == 2
    assert (
        ReportSearchToken.objects.filter(report=report, kind=ReportSearchToken.Kind.PHONE).count()
        == 1
    )


def test_an_edit_based_on_an_outdated_copy_is_refused(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)
    opened_version = report.version
    update_report(report, by=cast.caseworker, employer="Kazi Bora Household Agency")

    data = staff_form(version=str(opened_version), narrative="Overwritten")
    data.pop("channel")
    response = client.post(f"/intake/reports/{report.code}/edit/", data)

    assert response.status_code == 400
    assert "Somebody else saved this report" in response.content.decode()
    report.refresh_from_db()
    assert report.employer == "Kazi Bora Household Agency"
    assert report.narrative != "Overwritten"


def test_an_analyst_cannot_record_reports(client, cast):
    client.force_login(cast.analyst)

    assert client.post("/intake/reports/new/", staff_form()).status_code == 403
    assert not Report.objects.exists()


def test_marking_immediate_danger_on_an_edit_raises_the_urgency(cast, make_report):
    report = make_report(urgency=4).report

    changed = update_report(report, by=cast.operator, immediate_danger=True, urgency=4)

    assert sorted(changed) == ["immediate_danger", "urgency"]
    assert report.urgency == Report.Urgency.IMMEDIATE
