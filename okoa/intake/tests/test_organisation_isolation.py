"""Another organisation's report, call or group incident looks exactly like one that does not
exist; analysts never see reports; every report page read leaves an access record."""

import re

import pytest

from okoa.audit.models import AccessRecord
from okoa.intake.actions import log_hotline_call, open_group_incident
from okoa.intake.models import Report

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
MADE_UP_CODE = "Xq3mZr8KpLw2Vn7T"

PAGES = [
    "/intake/reports/{report}/",
    "/intake/reports/{report}/edit/",
    "/intake/reports/{report}/cases/new/",
    "/intake/reports/{report}/groups/new/",
    "/intake/groups/{group}/",
    "/intake/groups/{group}/people/new/",
    "/intake/calls/{call}/",
]


@pytest.fixture
def records(cast, make_report):
    report = make_report(subject_names=["Pendo Achieng"], reporter_phone="0712 345 678").report
    group = open_group_incident(report, by=cast.caseworker, estimated_size=4)
    call = log_hotline_call(cast.ngo, by=cast.operator, category="follow_up", notes="Pendo")
    return {"report": report.code, "group": group.code, "call": call.code}


def fetch(client, url):
    response = client.get(url)
    return response.status_code, CSRF_TOKEN.sub(b"", response.content)


@pytest.mark.parametrize("page", PAGES)
def test_partner_caseworker_gets_the_same_404_as_for_a_made_up_code(client, cast, records, page):
    client.force_login(cast.partner_caseworker)

    theirs = fetch(client, page.format(**records))
    made_up = fetch(client, page.format(report=MADE_UP_CODE, group=MADE_UP_CODE, call=MADE_UP_CODE))

    assert theirs[0] == 404
    assert theirs == made_up
    assert b"Pendo" not in theirs[1]


@pytest.mark.parametrize(
    "action, data",
    [
        ("assign", {"assign-to": ""}),
        ("close", {"close-reason": "false_report"}),
        ("refer", {"refer-referred_to": "Elsewhere", "refer-reason": "other"}),
        ("status", {"status-to": "in_triage"}),
    ],
)
def test_partner_caseworker_cannot_change_another_organisations_report(
    client, cast, records, action, data
):
    client.force_login(cast.partner_caseworker)

    response = client.post(f"/intake/reports/{records['report']}/{action}/", data)

    assert response.status_code == 404
    assert Report.objects.get().status == Report.Status.BEING_HANDLED


def test_the_partner_queue_does_not_list_another_organisations_reports(client, cast, records):
    client.force_login(cast.partner_caseworker)

    assert client.get("/intake/").context["reports"] == []
    assert client.get("/intake/calls/").context["calls"] == []


def test_an_analyst_sees_no_report_and_no_queue(client, cast, records):
    client.force_login(cast.analyst)

    response = client.get(f"/intake/reports/{records['report']}/")

    assert response.status_code == 404
    assert b"Pendo" not in response.content
    assert client.get("/intake/").status_code == 403
    assert client.get(f"/intake/calls/{records['call']}/").status_code == 404


def test_reading_a_report_leaves_an_access_record(client, cast, records):
    client.force_login(cast.operator)

    client.get(f"/intake/reports/{records['report']}/")

    assert list(
        AccessRecord.objects.filter(user=cast.operator).values_list(
            "record_kind", "record_code", "channel"
        )
    ) == [("report", records["report"], "page")]


def test_reading_a_call_leaves_an_access_record(client, cast, records):
    client.force_login(cast.operator)

    client.get(f"/intake/calls/{records['call']}/")

    assert AccessRecord.objects.filter(
        user=cast.operator, record_kind="hotline_call", record_code=records["call"]
    ).exists()


def test_a_refused_page_leaves_no_access_record(client, cast, records):
    client.force_login(cast.partner_caseworker)

    client.get(f"/intake/reports/{records['report']}/")

    assert not AccessRecord.objects.exists()


def test_the_queue_shows_no_identities_and_leaves_no_access_record(client, cast, records):
    client.force_login(cast.operator)

    client.get("/intake/")

    assert not AccessRecord.objects.exists()
