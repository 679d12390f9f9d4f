"""The triage queue shows reports most urgent first (immediate danger on top), then the longest
waiting; it filters by status and channel, and pages by an opaque cursor."""

import datetime

from django.utils import timezone

from okoa.intake.access import ReportFilters, report_queue_for_user
from okoa.intake.actions import close_report


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_immediate_danger_comes_first_then_urgency_then_the_longest_waiting(
    client, cast, make_report
):
    normal_old = make_report(received_at=ago(30)).report
    normal_new = make_report(received_at=ago(1)).report
    danger_new = make_report(received_at=ago(2), immediate_danger=True).report
    high = make_report(received_at=ago(5), urgency=2).report
    danger_old = make_report(received_at=ago(20), immediate_danger=True).report
    low = make_report(received_at=ago(40), urgency=4).report
    client.force_login(cast.operator)

    reports = client.get("/intake/").context["reports"]

    assert reports == [danger_old, danger_new, high, normal_old, normal_new, low]


def test_the_queue_leaves_out_closed_and_referred_reports_unless_asked(client, cast, make_report):
    waiting = make_report().report
    closed = make_report().report
    close_report(closed, reason="false_report", by=cast.operator)
    client.force_login(cast.operator)

    assert client.get("/intake/").context["reports"] == [waiting]
    assert client.get("/intake/?status=closed").context["reports"] == [closed]
    assert len(client.get("/intake/?status=").context["reports"]) == 2


def test_the_queue_filters_by_channel(client, cast, make_report):
    make_report(channel="hotline")
    walk_in = make_report(channel="walk_in").report
    client.force_login(cast.operator)

    assert client.get("/intake/?channel=walk_in").context["reports"] == [walk_in]


def test_the_queue_pages_in_order_with_an_opaque_cursor(cast, make_report):
    made = [make_report(received_at=ago(10 - n), urgency=3 - (n % 2)).report for n in range(5)]
    expected = sorted(made, key=lambda report: (report.urgency, report.received_at))
    membership = cast.membership(cast.operator)

    seen, cursor = [], None
    while True:
        page, cursor = report_queue_for_user(membership, ReportFilters(), after=cursor, page_size=2)
        seen += page
        if cursor is None:
            break
        assert cursor == page[-1].code

    assert seen == expected


def test_the_queue_shows_no_names_or_numbers(client, cast, make_report):
    make_report(subject_names=["Pendo Achieng"], reporter_phone="0712 345 678")
    client.force_login(cast.operator)

    text = client.get("/intake/").content.decode()

    assert "Pendo" not in text
    assert "345" not in text
