"""A channel that delivers the same message twice (an SMS gateway retrying) gets the first
report back, with no second report, reference or PIN."""

from django.db import transaction

from okoa.audit.models import ChangeRecord
from okoa.intake.actions import create_report, reissue_report_pin
from okoa.intake.models import Report, ReportEvent


def test_the_same_external_id_returns_the_first_report(cast):
    first = create_report(
        cast.ngo, channel="sms", by=None, external_id="gw-7781", narrative="Msaada"
    )
    again = create_report(
        cast.ngo, channel="sms", by=None, external_id="gw-7781", narrative="Msaada"
    )

    assert first.created and first.pin
    assert not again.created and again.pin is None
    assert again.report == first.report
    assert Report.objects.count() == 1


def test_a_delivery_that_lost_the_race_gets_the_first_report_and_its_transaction_goes_on(cast):
    first = create_report(cast.ngo, channel="sms", by=None, external_id="gw-9", narrative="Msaada")
    with transaction.atomic():  # as an SMS: the report and its acknowledgement in one
        # checked_delivery: the caller says it looked the id up; a concurrent delivery
        # committed meanwhile, and the unique index refuses the second report.
        again = create_report(
            cast.ngo,
            channel="sms",
            by=None,
            external_id="gw-9",
            checked_delivery=True,
            narrative="Msaada",
        )
        # The transaction is still usable: the caller's next statements run.
        other = create_report(cast.ngo, channel="sms", by=None, external_id="gw-10", narrative="X")

    assert not again.created and again.pin is None
    assert again.report == first.report
    assert other.created
    assert Report.objects.count() == 2
    assert ReportEvent.objects.count() == ChangeRecord.objects.count() == 2
    assert not Report.objects.filter(reference__startswith="~").exists()


def test_the_same_external_id_on_another_channel_is_another_report(cast):
    create_report(cast.ngo, channel="sms", by=None, external_id="7781", narrative="Msaada")
    other = create_report(cast.ngo, channel="email", by=None, external_id="7781", narrative="Help")

    assert other.created
    assert Report.objects.count() == 2


def test_reports_without_external_id_are_never_merged(cast):
    create_report(cast.ngo, channel="sms", by=None, narrative="Msaada")
    create_report(cast.ngo, channel="sms", by=None, narrative="Msaada")

    assert Report.objects.count() == 2


def test_a_lost_pin_can_be_replaced(client, cast):
    report = create_report(cast.ngo, channel="sms", by=None, external_id="gw-1", narrative="Msaada")
    old_pin = report.pin

    new_pin = reissue_report_pin(report.report, by=None)

    def stage(pin):
        return client.post(
            "/report/status/", {"reference": report.report.reference, "pin": pin}
        ).status_code

    assert stage(new_pin) == 200
    assert old_pin == new_pin or stage(old_pin) == 400
