"""A report is given to a caseworker of its organisation; a waiting report moves into triage."""

import pytest
from django.core.exceptions import ValidationError

from okoa.intake.actions import assign_report
from okoa.intake.models import Report, ReportEvent


def test_an_operator_assigns_a_report_to_a_caseworker(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)

    response = client.post(
        f"/intake/reports/{report.code}/assign/", {"assign-to": cast.caseworker.code}
    )

    report.refresh_from_db()
    assert response.status_code == 302
    assert report.assigned_to == cast.caseworker
    assert report.status == Report.Status.IN_TRIAGE
    kinds = list(report.events.values_list("kind", flat=True))
    assert ReportEvent.Kind.ASSIGNED in kinds and ReportEvent.Kind.STATUS_CHANGED in kinds


def test_the_timeline_names_the_assignee(client, cast, make_report):
    report = make_report().report
    assign_report(report, to=cast.caseworker, by=cast.operator)
    client.force_login(cast.supervisor)

    text = client.get(f"/intake/reports/{report.code}/").content.decode()

    assert "To Achieng Caseworker" in text


def test_a_caseworker_of_another_organisation_cannot_be_assigned(cast, make_report):
    report = make_report().report

    with pytest.raises(ValidationError):
        assign_report(report, to=cast.partner_caseworker, by=cast.operator)

    report.refresh_from_db()
    assert report.assigned_to is None


def test_a_role_that_cannot_open_cases_is_not_offered(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)

    response = client.post(
        f"/intake/reports/{report.code}/assign/", {"assign-to": cast.analyst.code}
    )

    assert response.status_code == 400
    report.refresh_from_db()
    assert report.assigned_to is None


def test_unassigning_keeps_the_status(cast, make_report):
    report = make_report().report
    assign_report(report, to=cast.caseworker, by=cast.operator)

    assign_report(report, to=None, by=cast.operator)

    report.refresh_from_db()
    assert report.assigned_to is None
    assert report.status == Report.Status.IN_TRIAGE


def test_assigning_to_the_same_person_again_changes_nothing(cast, make_report):
    report = make_report().report
    assign_report(report, to=cast.caseworker, by=cast.operator)
    version = Report.objects.get().version

    assign_report(report, to=cast.caseworker, by=cast.operator)

    assert Report.objects.get().version == version
