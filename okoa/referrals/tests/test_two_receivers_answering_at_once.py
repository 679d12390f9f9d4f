"""Two receivers answer the same referral from the same page: the second is refused, told what
happened, and nothing of theirs is saved."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from okoa.accounts.actions import create_user
from okoa.referrals.actions import StaleReferral, accept_referral, decline_referral


def test_the_second_answer_from_an_outdated_page_is_refused(cast, make_case, refer):
    referral = refer(make_case())
    opened = referral.version
    accept_referral(referral, by=cast.partner_caseworker, expected_version=opened)

    with pytest.raises(StaleReferral) as refused:
        decline_referral(
            referral, reason="no_capacity", by=cast.partner_caseworker, expected_version=opened
        )

    assert "Somebody else changed this referral" in refused.value.messages[0]
    assert "Accepted" in refused.value.messages[0]
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("accepted", "")


def test_the_second_receiver_sees_the_refusal_on_the_page(client, cast, make_case, refer):
    colleague = create_user(
        email="colleague@mwangaza.test",
        full_name="Gathoni Partner",
        password=PASSWORD,
        organisation=cast.partner,
        role="caseworker",
    )
    referral = refer(make_case())
    version = referral.version
    client.force_login(cast.partner_caseworker)
    assert (
        client.post(f"/referrals/{referral.code}/accept/", {"version": version}).status_code == 302
    )

    client.force_login(colleague)
    response = client.post(
        f"/referrals/{referral.code}/decline/", {"version": version, "reason": "no_capacity"}
    )

    assert response.status_code == 400
    assert "Somebody else changed this referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "accepted"
