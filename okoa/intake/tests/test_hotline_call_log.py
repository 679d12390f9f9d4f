"""Operators log every hotline call fast; silent, prank, abusive and wrong-number calls are
counted apart from real contacts."""

from okoa.intake.actions import log_hotline_call
from okoa.intake.models import HotlineCall


def test_an_operator_logs_a_call_with_the_form(client, cast):
    client.force_login(cast.operator)

    response = client.post(
        "/intake/calls/new/",
        {
            "category": "trafficking_report",
            "caller_type": "relative",
            "caller_phone": "0712 345 678",
            "duration_minutes": "7",
            "notes": "Her cousin Pendo is in Riyadh without her passport.",
        },
    )

    call = HotlineCall.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intake/calls/{call.code}/"
    assert call.operator == cast.operator
    assert call.organisation == cast.ngo
    assert call.duration_seconds == 420
    assert call.caller_phone == "0712 345 678"
    assert call.caller_phone_token is not None


def test_a_silent_call_needs_no_more_than_its_category(client, cast):
    client.force_login(cast.operator)

    response = client.post("/intake/calls/new/", {"category": "silent", "caller_type": "unknown"})

    assert response.status_code == 302
    assert not HotlineCall.objects.get().is_real_contact


def test_the_call_list_counts_real_contacts_apart(client, cast):
    for category in (
        "trafficking_report",
        "information_request",
        "silent",
        "prank",
        "wrong_number",
    ):
        log_hotline_call(cast.ngo, by=cast.operator, category=category)
    client.force_login(cast.operator)

    response = client.get("/intake/calls/")

    assert response.context["contacts_today"] == 2
    assert response.context["others_today"] == 3


def test_the_call_list_shows_no_phone_numbers_or_notes(client, cast):
    log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="follow_up",
        caller_phone="0712 345 678",
        notes="Asked about Wanjiru",
    )
    client.force_login(cast.operator)

    text = client.get("/intake/calls/").content.decode()

    assert "345" not in text
    assert "Wanjiru" not in text


def test_a_bad_phone_number_is_refused_and_nothing_is_logged(client, cast):
    client.force_login(cast.operator)

    response = client.post(
        "/intake/calls/new/",
        {"category": "follow_up", "caller_type": "victim", "caller_phone": "12"},
    )

    assert response.status_code == 400
    assert not HotlineCall.objects.exists()


def test_an_analyst_cannot_log_calls(client, cast):
    client.force_login(cast.analyst)

    assert client.get("/intake/calls/new/").status_code == 403
    assert client.get("/intake/calls/").status_code == 403
