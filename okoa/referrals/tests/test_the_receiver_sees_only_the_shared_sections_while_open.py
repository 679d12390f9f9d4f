"""The receiving organisation sees the sections the sender shared, only while the referral is
open, never the case itself; every view is in the access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.audit.models import AccessRecord
from okoa.people.actions import update_person
from okoa.referrals.actions import accept_referral, complete_referral, withdraw_referral


@pytest.fixture
def case(make_case, places):
    return make_case(
        given_name="Wanjiku",
        family_name="Kamau",
        county=places.nairobi,
        phone_numbers=["0700 000 123"],
        passport_number="DEMO123456",
    )


def test_the_receiver_sees_the_shared_sections_and_nothing_else(client, cast, case, refer):
    referral = refer(case, sections=["basic", "shelter_needs"])
    client.force_login(cast.partner_caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert "Wanjiku" in page  # the first name: a basic detail
    assert "Nairobi" in page
    assert "her employer is looking for her" in page  # the reason for the referral
    for hidden in ("Kamau", "0700 000 123", "DEMO123456", case.reference):
        assert hidden not in page


def test_the_receiver_never_gets_the_case(client, cast, case, refer):
    refer(case)
    client.force_login(cast.partner_caseworker)

    for path in (
        f"/cases/{case.code}/",
        f"/referrals/cases/{case.code}/",
        f"/people/{case.person.code}/",
    ):
        assert client.get(path).status_code == 404


def test_the_receivers_page_reads_the_snapshot_not_the_senders_case_tables(
    client, cast, case, refer
):
    referral = refer(case, sections=["basic", "contact"])
    client.force_login(cast.partner_caseworker)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/referrals/{referral.code}/")

    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for table in ("cases_case", "people_person", "care_", "screening_"):
        assert f'"{table}' not in sql, table


def test_the_snapshot_is_what_the_case_said_when_the_referral_was_sent(client, cast, case, refer):
    referral = refer(case, sections=["basic", "contact"])
    update_person(case.person, by=cast.caseworker, given_name="Wambui", phone_numbers=[])
    client.force_login(cast.partner_caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert "Wanjiku" in page and "0700 000 123" in page
    assert "Wambui" not in page


@pytest.mark.parametrize("closing", ["completed", "withdrawn"])
def test_after_closing_the_receiver_sees_the_metadata_and_outcome_only(
    client, cast, case, refer, closing
):
    referral = refer(case, sections=["basic", "contact"])
    accept_referral(referral, by=cast.partner_caseworker)
    if closing == "completed":
        complete_referral(
            referral,
            outcome="service_provided",
            note="Stayed four nights, then went home.",
            by=cast.partner_caseworker,
        )
    else:
        withdraw_referral(referral, reason="Wanjiku went to her aunt in Nakuru", by=cast.caseworker)
    client.force_login(cast.partner_caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert referral.get_status_display() in page
    assert "Wanjiku" not in page
    assert "0700 000 123" not in page
    assert "her employer is looking for her" not in page
    assert "no longer shown" in page
    if closing == "completed":
        assert "Service provided" in page and "Stayed four nights" in page


def test_the_sender_still_sees_everything_after_closing(client, cast, case, refer):
    referral = refer(case, sections=["basic", "contact"])
    withdraw_referral(referral, reason="Moved to another county", by=cast.caseworker)
    client.force_login(cast.caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert "Wanjiku" in page and "Moved to another county" in page


def test_every_view_is_in_the_access_log(client, cast, case, refer):
    referral = refer(case)
    client.force_login(cast.partner_caseworker)
    client.get(f"/referrals/{referral.code}/")
    client.get(f"/referrals/{referral.code}/")
    client.force_login(cast.caseworker)
    client.get(f"/referrals/{referral.code}/")

    receiver_reads = AccessRecord.objects.filter(
        organisation=cast.partner, record_kind="referral", record_code=referral.code
    )
    assert receiver_reads.count() == 2
    assert set(receiver_reads.values_list("user_id", flat=True)) == {cast.partner_caseworker.pk}
    # On the sender's side the read is of the survivor's file.
    assert AccessRecord.objects.filter(
        organisation=cast.ngo, record_kind="person", record_code=case.person.code
    ).exists()
    # Nothing on the receiver's side names the sender's person or case.
    assert not AccessRecord.objects.filter(
        organisation=cast.partner, record_code__in=[case.code, case.person.code]
    ).exists()


def test_the_sender_sees_that_the_receiver_opened_it(client, cast, case, refer):
    referral = refer(case)
    client.force_login(cast.partner_caseworker)
    client.get(f"/referrals/{referral.code}/")
    client.force_login(cast.caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert "Opened by the receiver" in page and "1 time" in page
