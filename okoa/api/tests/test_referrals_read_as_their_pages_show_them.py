"""A referral read through the API shows what its page shows to the same side: the sender
everything, the receiver the reason and the shared sections only while the referral is open."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    withdraw_referral,
)

REASON = "Needs a safe bed tonight; her employer is looking for her."


def lines_of(body):
    return {
        (section["name"], line["label"], line["value"])
        for section in body["shared"]["sections"]
        for line in section["lines"]
    }


def test_the_receiver_reads_the_shared_sections_while_the_referral_is_open(
    cast, api_as, case, refer
):
    referral = refer(case, sections=["basic", "contact"])
    response = api_as(cast.partner_caseworker).get(f"/api/referrals/{referral.code}")
    assert response.status == 200
    body = response.body
    assert (body["side"], body["status"], body["service_kind"]) == ("receiver", "sent", "shelter")
    assert body["from_organisation"] == {"code": cast.ngo.code, "name": cast.ngo.name}
    assert body["to_organisation"] == {"code": cast.partner.code, "name": cast.partner.name}
    assert body["shared"]["reason"] == REASON
    assert [section["name"] for section in body["shared"]["sections"]] == ["basic", "contact"]
    assert ("basic", "First name", "Nyokabi") in lines_of(body)
    assert ("contact", "Phone numbers", "+254 712 000 111") in lines_of(body)
    # Never the case, nor anything outside the shared sections.
    assert body["case"] is None and body["receiver_reads"] is None
    for hidden in ("Gathoni", "AK0098765", "Zawadi Mutheu", case.reference, case.code):
        assert hidden not in response.text
    assert case.person.code not in response.text


def test_the_receiver_reads_the_snapshot_never_the_senders_case_tables(cast, api_as, case, refer):
    referral = refer(case, sections=["basic", "contact"])
    api = api_as(cast.partner_caseworker)
    api.get("/api/referrals")  # the token's first use is recorded once
    for path in ("/api/referrals", f"/api/referrals/{referral.code}"):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status == 200
        sql = " ".join(query["sql"] for query in queries.captured_queries)
        for table in ("cases_case", "people_person", "care_", "screening_"):
            assert f'"{table}' not in sql, (path, table)


def test_the_receiver_sees_the_lines_its_page_shows(cast, api_as, case, refer):
    referral = refer(case, sections=["basic", "contact", "shelter_needs"])
    body = api_as(cast.partner_caseworker).get(f"/api/referrals/{referral.code}").body
    client = Client()
    client.force_login(cast.partner_caseworker)
    page = client.get(f"/referrals/{referral.code}/").content.decode()
    for _name, label, value in lines_of(body):
        assert escape(label) in page and escape(value) in page


@pytest.mark.parametrize("closing", ["declined", "completed", "withdrawn"])
def test_once_closed_the_receiver_sees_the_metadata_and_answers_only(
    cast, api_as, case, refer, closing
):
    referral = refer(case, sections=["basic", "contact"])
    if closing == "declined":
        decline_referral(
            referral, reason="no_capacity", note="Full until Monday.", by=cast.partner_caseworker
        )
    elif closing == "completed":
        accept_referral(referral, by=cast.partner_caseworker)
        complete_referral(
            referral,
            outcome="service_provided",
            note="Stayed four nights, then went home.",
            by=cast.partner_caseworker,
        )
    else:
        withdraw_referral(referral, reason="Went to her aunt in Nakuru", by=cast.caseworker)

    response = api_as(cast.partner_caseworker).get(f"/api/referrals/{referral.code}")

    body = response.body
    assert (body["status"], body["shared"], body["withdraw_reason"]) == (closing, None, None)
    assert body["closed_at"] is not None
    for hidden in ("Nyokabi", "+254 712 000 111", "her employer", "aunt in Nakuru"):
        assert hidden not in response.text
    if closing == "declined":
        assert (body["decline_reason"], body["decline_note"]) == (
            "no_capacity",
            "Full until Monday.",
        )
    if closing == "completed":
        assert (body["outcome"], body["outcome_note"]) == (
            "service_provided",
            "Stayed four nights, then went home.",
        )
        assert body["accepted_at"] is not None
    assert [event["status"] for event in body["history"]][-1] == closing


def test_the_sender_sees_everything_its_page_shows(cast, api_as, case, refer):
    referral = refer(case, sections=["basic"])
    api_as(cast.partner_caseworker).get(f"/api/referrals/{referral.code}")
    withdraw_referral(referral, reason="Went to her aunt in Nakuru", by=cast.caseworker)

    body = api_as(cast.caseworker).get(f"/api/referrals/{referral.code}").body

    assert body["side"] == "sender"
    assert body["case"] == {"code": case.code, "reference": case.reference}
    assert body["shared"]["reason"] == REASON
    assert ("basic", "First name", "Nyokabi") in lines_of(body)
    assert body["withdraw_reason"] == "Went to her aunt in Nakuru"
    assert body["sent_by"] == {
        "full_name": cast.caseworker.full_name,
        "email": cast.caseworker.email,
    }
    assert body["receiver_reads"]["count"] == 1
    assert body["installation"] is None
    assert [(event["status"], event["organisation"], event["by"]) for event in body["history"]] == [
        ("sent", cast.ngo.name, cast.caseworker.full_name),
        ("withdrawn", cast.ngo.name, cast.caseworker.full_name),
    ]


def test_dates_deadlines_and_overdue_are_given(cast, api_as, case, refer):
    sent_at = timezone.now() - datetime.timedelta(days=3)
    referral = refer(case, urgency="urgent", now=sent_at)
    body = api_as(cast.partner_caseworker).get(f"/api/referrals/{referral.code}").body
    assert body["urgency"] == "urgent"
    assert body["overdue"] is True
    assert body["sent_at"].startswith(sent_at.strftime("%Y-%m-%dT%H:%M"))
    assert body["respond_by"] > body["sent_at"]
    assert body["answered_at"] is None and body["closed_at"] is None


def test_there_are_no_operations_that_change_a_referral(cast, api_as, case, refer):
    referral = refer(case)
    api = api_as(cast.partner_caseworker)
    assert api.post("/api/referrals", {"case": case.code}).status == 405
    assert api.patch(f"/api/referrals/{referral.code}", {"status": "accepted"}).status == 405
    for action in ("accept", "decline", "complete", "withdraw"):
        assert api.post(f"/api/referrals/{referral.code}/{action}", {}).status == 404
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("sent", 1)
