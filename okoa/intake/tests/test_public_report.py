"""A relative sends the public form without an account and gets a reference and a PIN; with both,
the status page shows the report's stage and nothing else."""

import re

import pytest

from okoa.intake.actions import assign_report, close_report, refer_report
from okoa.intake.models import IntakeRoute, Report

from .conftest import public_form

PERSONAL = ["Halima", "Chepkoech", "Dammam", "0733", "WhatsApp", "Baraka Gulf", "locked"]


@pytest.fixture
def routed(cast):
    return IntakeRoute.objects.create(channel="web", organisation=cast.ngo)


def found(pattern, text):
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match


def send_report(client, **overrides):
    response = client.post("/report/", public_form(**overrides))
    assert response.status_code == 200
    text = response.content.decode()
    reference = found(r"TUM-R-\d{4}-\d{6}", text).group(0)
    pin = found(r'<code class="secret">(\d{6})</code>', text).group(1)
    return reference, pin, text


def check_status(client, reference, pin):
    return client.post("/report/status/", {"reference": reference, "pin": pin})


def test_the_form_opens_without_an_account(client, db):
    response = client.get("/report/")

    assert response.status_code == 200
    assert b'name="narrative"' in response.content
    assert b'name="immediate_danger"' in response.content


def test_sending_the_form_records_a_report_and_answers_with_reference_and_pin(client, cast, routed):
    reference, pin, text = send_report(client)

    report = Report.objects.get()
    assert report.reference == reference
    assert report.organisation == cast.ngo
    assert report.channel == "web"
    assert report.immediate_danger and report.urgency == Report.Urgency.IMMEDIATE
    assert report.subject_names == ["Halima Chepkoech"]
    assert report.location_country is not None and report.location_country.code == "SA"
    assert report.pin_hash and pin not in report.pin_hash
    assert "keep them where nobody" in text.lower()


def test_the_answer_is_never_cached(client, routed):
    response = client.post("/report/", public_form())

    assert "no-store" in response["Cache-Control"]


def test_the_status_page_shows_only_the_stage(client, cast, routed):
    reference, pin, _text = send_report(client)

    response = check_status(client, reference, pin)

    assert response.status_code == 200
    assert "Received" in response.content.decode()
    for secret in PERSONAL:
        assert secret.lower() not in response.content.decode().lower(), secret


def test_the_status_follows_the_report_through_its_stages(client, cast, routed):
    reference, pin, _text = send_report(client)
    report = Report.objects.get()

    assign_report(report, to=cast.caseworker, by=cast.supervisor)
    assert "Being handled" in check_status(client, reference, pin).content.decode()

    refer_report(report, to="Labour office", reason="other_service", by=cast.caseworker)
    assert "Referred" in check_status(client, reference, pin).content.decode()

    close_report(report, reason="resolved", by=cast.caseworker)
    assert "Closed" in check_status(client, reference, pin).content.decode()


def test_a_reference_typed_in_lower_case_and_without_zeros_is_found(client, routed):
    reference, pin, _text = send_report(client)
    prefix, letter, year, number = reference.split("-")

    typed = f"{prefix.lower()}-{letter.lower()}-{year}-{int(number)}"

    assert "Received" in check_status(client, typed, pin).content.decode()


def test_a_wrong_pin_gets_the_same_answer_as_a_made_up_reference(client, routed):
    reference, pin, _text = send_report(client)
    wrong_pin = f"{(int(pin) + 1) % 1_000_000:06d}"

    wrong = check_status(client, reference, wrong_pin)
    made_up = check_status(client, "TUM-R-2026-999999", pin)

    assert wrong.status_code == made_up.status_code == 400
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*"')
    assert strip.sub(b"", wrong.content) == strip.sub(b"", made_up.content)
    assert b"found no report with this reference and PIN" in wrong.content


def test_reference_and_pin_never_travel_in_the_url(client, routed):
    reference, pin, _text = send_report(client)

    response = client.get("/report/status/", {"reference": reference, "pin": pin})

    assert response.status_code == 200
    assert b"Received" not in response.content
