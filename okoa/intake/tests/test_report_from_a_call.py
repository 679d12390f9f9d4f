"""One click turns a hotline call into a report pre-filled with the call's details."""

import datetime

from django.utils import timezone

from okoa.intake.actions import log_hotline_call
from okoa.intake.models import HotlineCall, Report


def logged_call(cast):
    return log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="trafficking_report",
        caller_type="relative",
        caller_phone="0712 345 678",
        notes="Her cousin Pendo is in Riyadh without her passport.",
        started_at=timezone.now() - datetime.timedelta(minutes=12),
    )


def test_one_click_makes_a_hotline_report_with_the_calls_details(client, cast):
    call = logged_call(cast)
    client.force_login(cast.operator)

    response = client.post(f"/intake/calls/{call.code}/report/")

    report = Report.objects.get()
    assert response.status_code == 200
    assert report.reference in response.content.decode()
    assert report.channel == "hotline"
    assert report.reporter_relationship == "relative"
    assert report.reporter_phone == "0712 345 678"
    assert report.narrative == "Her cousin Pendo is in Riyadh without her passport."
    assert report.received_at == call.started_at
    assert report.created_by == cast.operator
    assert HotlineCall.objects.get().report == report


def test_clicking_twice_gives_the_same_report(client, cast):
    call = logged_call(cast)
    client.force_login(cast.operator)
    client.post(f"/intake/calls/{call.code}/report/")

    again = client.post(f"/intake/calls/{call.code}/report/")

    report = Report.objects.get()
    assert again.status_code == 302
    assert again["Location"] == f"/intake/reports/{report.code}/"


def test_the_button_is_a_post_form_on_the_call_page(client, cast):
    call = logged_call(cast)
    client.force_login(cast.operator)

    text = client.get(f"/intake/calls/{call.code}/").content.decode()

    assert f'method="post" action="/intake/calls/{call.code}/report/"' in text
    assert client.get(f"/intake/calls/{call.code}/report/").status_code == 405
