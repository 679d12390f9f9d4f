"""Invalid input saves nothing: no report, no search token, no reference number used up."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.cases.models import Case
from okoa.intake.actions import create_report, open_case_from_report
from okoa.intake.models import Report, ReportEvent, ReportReferenceCounter, ReportSearchToken
from okoa.people.models import Person

from .conftest import public_form


def nothing_saved() -> bool:
    return not (
        Report.objects.exists()
        or ReportSearchToken.objects.exists()
        or ReportEvent.objects.exists()
        or ReportReferenceCounter.objects.filter(last_number__gt=0).exists()
        or ChangeRecord.objects.filter(record_kind="report").exists()
    )


def test_a_public_form_without_what_is_happening_saves_nothing(client, cast):
    response = client.post("/report/", public_form(narrative=""))

    assert response.status_code == 400
    assert nothing_saved()


def test_a_public_form_with_a_bad_phone_number_saves_nothing_and_keeps_the_words(client, cast):
    response = client.post("/report/", public_form(reporter_phone="12"))

    assert response.status_code == 400
    assert "12 is not a phone number" in response.content.decode()
    assert "locked in her employer" in response.content.decode()
    assert nothing_saved()


def test_an_invalid_report_from_a_channel_saves_nothing(cast):
    with pytest.raises(ValidationError):
        create_report(
            cast.ngo,
            channel="sms",
            by=None,
            narrative="Help",
            subject_phone_numbers=["0712 345 678", "99"],
        )

    assert nothing_saved()


def test_the_next_valid_report_takes_the_first_number(cast):
    with pytest.raises(ValidationError):
        create_report(cast.ngo, channel="sms", by=None, estimated_people=0, narrative="Help")

    received = create_report(cast.ngo, channel="sms", by=None, narrative="Help")

    assert received.report.reference.endswith("-000001")


def test_a_case_that_fails_leaves_no_person_and_no_status_change(cast, make_report):
    report = make_report().report

    with pytest.raises(ValidationError):
        open_case_from_report(
            report,
            by=cast.caseworker,
            person_values={"given_name": "Imani", "phone_numbers": ["1"]},
        )

    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED
    assert not Person.objects.exists()
    assert not Case.objects.exists()
