"""A report that is not for the organisation is referred elsewhere: to another organisation or a
service outside Okoa, named in free text, with a reason."""

import pytest
from django.core.exceptions import ValidationError

from okoa.intake.actions import refer_report
from okoa.intake.models import Report


def test_referring_from_the_report_page(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.caseworker)

    response = client.post(
        f"/intake/reports/{report.code}/refer/",
        {
            "refer-referred_to": "Mombasa county labour office",
            "refer-reason": "other_service",
            "refer-note": "Unpaid wages, no sign of trafficking.",
        },
    )

    report.refresh_from_db()
    assert response.status_code == 302
    assert report.status == Report.Status.REFERRED
    assert report.referred_to == "Mombasa county labour office"
    assert report.outcome_reason == "other_service"
    assert report.closed_at is None
    assert (
        "Mombasa county labour office"
        in client.get(f"/intake/reports/{report.code}/").content.decode()
    )


def test_a_referral_needs_somewhere_to_go_and_a_reason(cast, make_report):
    report = make_report().report

    with pytest.raises(ValidationError) as error:
        refer_report(report, to=" ", reason="handled_as_cases", by=cast.operator)

    assert set(error.value.error_dict) == {"referred_to", "reason"}
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_a_referred_report_can_come_back_and_then_be_closed(cast, make_report):
    report = make_report().report
    refer_report(report, to="Kisumu legal aid clinic", reason="outside_mandate", by=cast.operator)

    from okoa.intake.actions import change_report_status, close_report

    change_report_status(report, to=Report.Status.BEING_HANDLED, by=cast.caseworker)
    close_report(report, reason="resolved", by=cast.caseworker)

    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED
