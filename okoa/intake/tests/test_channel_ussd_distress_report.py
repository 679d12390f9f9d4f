"""Someone in danger reported by USSD, in English or in Kiswahili: where, whether in danger
now, how many people; confirmed, it becomes one report, and the last screen gives reference and
PIN."""

import re

from okoa.intake.models import Report

from .channels import PHONE, post_ussd, screen


def test_a_distress_report_in_english_ends_with_reference_and_pin(client, gateway, routed):
    steps = ["", "1", "1*1", "1*1*1", "1*1*1*1", "1*1*1*1*3"]
    screens = [screen(post_ussd(client, text)) for text in steps]

    assert screens[0].startswith("CON Okoa\n1 English\n2 Kiswahili")
    assert "1 Report someone in danger" in screens[1]
    assert "Where is the person?" in screens[2] and "1 Saudi Arabia" in screens[2]
    assert "Is someone in danger now?" in screens[3]
    assert "How many people" in screens[4]
    assert "Where: Saudi Arabia" in screens[5] and "People: 3" in screens[5]
    assert not any(text.startswith("END") for text in screens)

    last = screen(post_ussd(client, "1*1*1*1*3*1"))

    report = Report.objects.get()
    assert last.startswith("END Report received.")
    assert f"Reference {report.reference}," in last
    found = re.search(r"PIN (\d{6})", last)
    assert found is not None
    pin = found.group(1)
    assert report.channel == "ussd"
    assert report.external_id == "ATUid_5f1c0d"
    assert report.organisation == routed.ngo
    assert report.location_country is not None and report.location_country.code == "SA"
    assert report.immediate_danger and report.urgency == Report.Urgency.IMMEDIATE
    assert report.estimated_people == 3
    assert report.reporter_phone == PHONE
    assert report.language == "en"
    status = client.post("/report/status/", {"reference": report.reference, "pin": pin})
    assert status.status_code == 200


def test_a_distress_report_in_kiswahili_speaks_kiswahili_throughout(client, gateway, routed):
    screens = [
        screen(post_ussd(client, text))
        for text in ["2", "2*1", "2*1*2", "2*1*2*2", "2*1*2*2*12", "2*1*2*2*12*1"]
    ]

    assert "1 Ripoti mtu aliye hatarini" in screens[0]
    assert "2 Falme za Kiarabu" in screens[1]
    assert "Je, kuna mtu aliye hatarini sasa?" in screens[2]
    assert "1 Ndiyo" in screens[2]
    assert "Watu: 12" in screens[4]
    report = Report.objects.get()
    assert screens[5].startswith("END Ripoti imepokelewa.")
    assert report.reference in screens[5]
    assert report.language == "sw"
    assert report.location_country is not None and report.location_country.code == "AE"
    assert not report.immediate_danger
    assert report.estimated_people == 12


def test_a_place_not_in_the_list_is_other(client, gateway, routed):
    screen(post_ussd(client, "1*1*8*2*1*1"))

    report = Report.objects.get()
    assert report.location_country is None
    assert "another country" in report.narrative


def test_cancelling_at_the_end_records_nothing(client, gateway, routed):
    last = screen(post_ussd(client, "1*1*1*1*3*2"))

    assert last.startswith("END Nothing was sent.")
    assert not Report.objects.exists()
