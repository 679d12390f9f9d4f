"""Report references come from a per-organisation, per-year counter, never from a count."""

from django.utils import timezone

from okoa.intake.actions import create_report
from okoa.intake.models import Report


def test_each_organisation_numbers_its_reports_from_one(cast):
    year = timezone.localdate().year

    ours = [create_report(cast.ngo, channel="sms", by=None, narrative="a") for _ in range(2)]
    theirs = create_report(cast.partner, channel="sms", by=None, narrative="b")

    assert [r.report.reference for r in ours] == [f"TUM-R-{year}-000001", f"TUM-R-{year}-000002"]
    assert theirs.report.reference == f"MWA-R-{year}-000001"


def test_a_deleted_report_does_not_free_its_number(cast):
    first = create_report(cast.ngo, channel="sms", by=None, narrative="a").report
    Report.objects.filter(pk=first.pk).delete()

    second = create_report(cast.ngo, channel="sms", by=None, narrative="b").report

    assert second.reference.endswith("-000002")
