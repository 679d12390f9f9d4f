"""Reading a referral through the API leaves the access records its page leaves (the receiver: a
read of the referral; the sender: of the survivor's file and the referral), marked ``api``; the
list names nobody and, like the pages' lists, is not recorded."""

from __future__ import annotations

import pytest
from django.test import Client

from okoa.audit.models import AccessRecord


def reads(channel: str):
    return sorted(
        AccessRecord.objects.filter(channel=channel).values_list(
            "user__email", "organisation__code", "record_kind", "record_code"
        )
    )


@pytest.mark.parametrize("side", ["sender", "receiver"])
def test_a_read_is_recorded_as_the_page_records_it(cast, api_as, case, refer, side):
    referral = refer(case)
    user = cast.caseworker if side == "sender" else cast.partner_caseworker

    api_as(user).get(f"/api/referrals/{referral.code}")
    client = Client()
    client.force_login(user)
    client.get(f"/referrals/{referral.code}/")

    assert reads("api") == reads("page")
    organisation = cast.ngo if side == "sender" else cast.partner
    expected = [(user.email, organisation.code, "referral", referral.code)]
    if side == "sender":
        expected.append((user.email, organisation.code, "person", case.person.code))
    assert reads("api") == sorted(expected)
    assert set(AccessRecord.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_every_read_by_the_receiver_is_recorded(cast, api_as, case, refer):
    referral = refer(case)
    api = api_as(cast.partner_caseworker)
    api.get(f"/api/referrals/{referral.code}")
    api.get(f"/api/referrals/{referral.code}")
    assert (
        AccessRecord.objects.filter(
            organisation=cast.partner, record_kind="referral", record_code=referral.code
        ).count()
        == 2
    )
    # Nothing on the receiver's side names the sender's case or person.
    assert not AccessRecord.objects.filter(
        organisation=cast.partner, record_code__in=[case.code, case.person.code]
    ).exists()


def test_lists_and_refused_reads_record_nothing(cast, api_as, case, refer):
    referral = refer(case)
    api_as(cast.caseworker).get("/api/referrals")
    api_as(cast.partner_caseworker).get("/api/referrals")
    api_as(cast.analyst).get(f"/api/referrals/{referral.code}")
    api_as(cast.operator).get(f"/api/referrals/{referral.code}")
    assert not AccessRecord.objects.exists()
