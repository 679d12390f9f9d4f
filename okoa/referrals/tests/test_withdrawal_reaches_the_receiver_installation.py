"""A referral to a partner installation that the sender withdraws (itself, or because the
survivor withdrew the consent it relied on) queues a ``referral.withdrawn`` message naming the
referral only: the reason stays here. It is queued even while the partner is not connected, so
the withdrawal reaches it once it is."""

from __future__ import annotations

import pytest

from okoa.referrals.actions import send_referral, withdraw_consent, withdraw_referral


@pytest.fixture
def sent(cast, make_case, give_consent, partner_installation):
    case = make_case()
    consent = give_consent(case)
    referral = send_referral(
        case,
        to_organisation=partner_installation.desk,
        by=cast.caseworker,
        service_kind="family_tracing",
        reason_note="Looking for her brother in Eldoret.",
    )
    return referral, consent


def test_withdrawing_tells_the_partner_without_the_reason(cast, sent, partner_installation):
    referral, _consent = sent

    withdraw_referral(referral, reason="Her brother called her himself.", by=cast.caseworker)

    [message] = partner_installation.sent("referral.withdrawn")
    assert message.body == {"referral": referral.code}
    assert (message.from_organisation, message.to_organisation) == (
        cast.ngo,
        partner_installation.desk,
    )


def test_withdrawing_the_consent_withdraws_the_referral_on_the_partner_too(
    cast, sent, partner_installation
):
    referral, consent = sent

    withdraw_consent(consent, by=cast.caseworker)

    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    [message] = partner_installation.sent("referral.withdrawn")
    assert message.body == {"referral": referral.code}


def test_a_withdrawal_waits_for_a_partner_that_is_not_connected(cast, sent, partner_installation):
    referral, consent = sent
    partner = partner_installation.partner
    partner.is_active = False
    partner.save(update_fields=["is_active"])

    withdraw_consent(consent, by=cast.caseworker)

    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    [message] = partner_installation.sent("referral.withdrawn")
    assert message.status == "queued"
