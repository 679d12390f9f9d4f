"""``erase_referral_details`` (for erasure of a survivor's identity) empties the referrals'
snapshots, reasons and notes and the consents' words, and keeps what statistics count."""

from __future__ import annotations

from django.db import connection

from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    erase_referral_details,
    record_consent_override,
)
from okoa.referrals.models import Consent, Referral


def test_erasure_empties_snapshots_reasons_and_notes(cast, make_case, refer):
    case = make_case(given_name="Makena")
    referral = refer(case, sections=["basic", "contact", "needs", "shelter_needs"])
    accept_referral(referral, by=cast.partner_caseworker)
    complete_referral(
        referral,
        outcome="service_provided",
        note="Makena stayed a week",
        by=cast.partner_caseworker,
    )
    record_consent_override(
        case,
        by=cast.supervisor,
        reason="Makena was unconscious",
        sections=["basic"],
        any_organisation=True,
    )

    assert erase_referral_details(case, by=None) == 3

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.shared == {}
    assert (referral.reason_note, referral.outcome_note) == ("", "")
    assert (referral.status, referral.outcome) == ("completed", "service_provided")
    assert referral.sections == ["basic", "contact", "needs", "shelter_needs"]
    for consent in Consent.objects.filter(case=case):
        assert (consent.given_by_details, consent.override_reason) == ("", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason_note, outcome_note FROM referrals_referral")
        assert cursor.fetchone() == ("", "")
