"""When the survivor withdraws consent, open referrals that relied on it alone are withdrawn (the
receiver stops seeing the details); closed ones stay as they were; one that another consent
covers goes on."""

from __future__ import annotations

from okoa.referrals.actions import accept_referral, complete_referral, withdraw_consent


def test_open_referrals_relying_on_the_consent_are_withdrawn(
    client, cast, make_case, refer, give_consent
):
    case = make_case(given_name="Chebet")
    consent = give_consent(case)
    open_referral = refer(case, consent=False)
    finished = refer(case, consent=False)
    accept_referral(finished, by=cast.partner_caseworker)
    complete_referral(finished, outcome="service_provided", by=cast.partner_caseworker)

    withdrawn = withdraw_consent(consent, by=cast.caseworker)

    assert withdrawn == [open_referral]
    open_referral.refresh_from_db()
    finished.refresh_from_db()
    assert open_referral.status == "withdrawn"
    assert finished.status == "completed"
    client.force_login(cast.partner_caseworker)
    assert "Chebet" not in client.get(f"/referrals/{open_referral.code}/").content.decode()


def test_a_referral_another_consent_covers_goes_on(cast, make_case, refer, give_consent):
    case = make_case()
    first = give_consent(case)
    referral = refer(case, consent=False)
    second = give_consent(case, organisations=[cast.partner])

    assert withdraw_consent(first, by=cast.caseworker) == []

    referral.refresh_from_db()
    assert referral.status == "sent" and referral.consent == second


def test_withdrawing_from_the_page(client, cast, make_case, give_consent):
    case = make_case()
    consent = give_consent(case)
    client.force_login(cast.caseworker)

    response = client.post(f"/referrals/cases/{case.code}/consent/{consent.code}/withdraw/")

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == cast.caseworker
    assert "withdrawn" in client.get(f"/referrals/cases/{case.code}/").content.decode()
