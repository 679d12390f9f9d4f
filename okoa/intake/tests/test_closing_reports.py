"""A report is closed with a reason (not trafficking, a duplicate, a prank...); the reason's
free-text note stays on the report, encrypted, and the timeline holds the reason's code only."""

import pytest
from django.core.exceptions import ValidationError

from okoa.intake.actions import change_report_status, close_report
from okoa.intake.models import Report, ReportEvent


def test_closing_with_a_reason_from_the_report_page(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)

    response = client.post(
        f"/intake/reports/{report.code}/close/",
        {
            "close-reason": "not_trafficking",
            "close-note": "A wage dispute; Juma was told where to go.",
        },
    )

    report.refresh_from_db()
    assert response.status_code == 302
    assert report.status == Report.Status.CLOSED
    assert report.closed_at is not None
    assert report.outcome_reason == "not_trafficking"
    assert report.outcome_note == "A wage dispute; Juma was told where to go."
    event = report.events.get(kind=ReportEvent.Kind.STATUS_CHANGED)
    assert event.data == {"previous": "received", "to": "closed", "reason": "not_trafficking"}


def test_closing_without_a_reason_is_refused(client, cast, make_report):
    report = make_report().report
    client.force_login(cast.operator)

    response = client.post(f"/intake/reports/{report.code}/close/", {"close-reason": ""})

    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_a_referral_reason_is_not_a_closing_reason(cast, make_report):
    report = make_report().report

    with pytest.raises(ValidationError):
        close_report(report, reason="outside_mandate", by=cast.operator)


def test_a_closed_report_can_be_reopened_into_triage(cast, make_report):
    report = make_report().report
    close_report(report, reason="no_contact", by=cast.operator)

    change_report_status(report, to=Report.Status.IN_TRIAGE, by=cast.supervisor)

    report.refresh_from_db()
    assert report.status == Report.Status.IN_TRIAGE
    assert report.closed_at is None


def test_the_page_offers_only_the_moves_the_lifecycle_allows(client, cast, make_report):
    report = make_report().report
    close_report(report, reason="duplicate", by=cast.operator)
    client.force_login(cast.operator)

    context = client.get(f"/intake/reports/{report.code}/").context

    assert "close_form" not in context and "refer_form" not in context
    assert [value for value, _label in context["status_form"].fields["to"].choices] == ["in_triage"]


def test_the_database_refuses_a_closed_report_without_a_reason(cast, make_report):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    report = make_report().report
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(status="closed", closed_at=timezone.now())
