"""Asking for a call back by USSD: the caller says when it is safe to call, and gets a report
with the number to call and that time."""

import re

from okoa.intake.models import Report

from .channels import PHONE, post_ussd, screen


def test_a_call_back_request_becomes_a_report_with_a_safe_time(client, gateway, routed):
    question = screen(post_ussd(client, "1*2"))
    last = screen(post_ussd(client, "1*2*4"))

    assert "When is it safe to call?" in question and "4 Evening" in question
    report = Report.objects.get()
    assert last.startswith("END Thank you. We will call you back on this number.")
    assert report.reference in last
    assert re.search(r"PIN \d{6}", last)
    assert report.channel == "ussd"
    assert report.reporter_phone == PHONE
    assert "Evening" in report.safe_contact
    assert "call back" in report.narrative


def test_a_call_back_request_can_be_cancelled(client, gateway, routed):
    last = screen(post_ussd(client, "2*2*0"))

    assert last.startswith("END Hakuna kilichotumwa.")
    assert not Report.objects.exists()


def test_exit_from_the_menu_records_nothing(client, gateway, routed):
    last = screen(post_ussd(client, "1*0"))

    assert last.startswith("END Thank you.")
    assert not Report.objects.exists()
