"""A ``referral.erased`` message that names a referral this installation did not receive from its
sender, or that joins other organisations, is refused (422) and recorded like any bad message;
a forged one is refused before it is opened (403). None of them changes anything."""

from __future__ import annotations

from dataclasses import replace

import pytest

from okoa.exchange.actions import apply_directory
from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.exchange.tests.conftest import make_identity, register_remote
from okoa.notifications.models import Notification
from okoa.referrals.actions import send_referral
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.referrals.tests.partner_world import DESK_CODE, referral_body

SENDER_CODE = "pwaniReferral01"


@pytest.fixture
def received(cast, partner_installation) -> Referral:
    partner_installation.post("referral.sent", referral_body(SENDER_CODE), to=cast.partner)
    return Referral.objects.get()


def unchanged(referral: Referral) -> bool:
    current = Referral.objects.get(pk=referral.pk)
    return (
        current.status == "sent"
        and current.version == 1
        and current.shared["basic"]["given_name"] == "Halima"
        and current.reason_note.startswith("Needs a safe bed")
        and ExchangedReferral.objects.get(referral=current).erased_at is None
        and not InboundMessage.objects.filter(kind="referral.erased").exists()
        and not Notification.objects.exclude(event="referral_received").exists()
    )


def refused_as(response, reason: str) -> bool:
    refusal = RefusedMessage.objects.get()
    return (
        refusal.reason == reason
        and refusal.kind == "referral.erased"
        and response.json().get("reason", "bad_signature") == reason
    )


def test_an_unknown_referral_is_refused(cast, received, partner_installation, caplog):
    response = partner_installation.post(
        "referral.erased", {"referral": "noSuchReferral1"}, to=cast.partner
    )

    assert response.status_code == 422
    assert refused_as(response, "invalid_body")
    assert unchanged(received)
    assert "noSuchReferral1" not in caplog.text


@pytest.mark.parametrize("body", [{}, {"referral": ""}, {"referral": "a/b"}, {"referral": 7}])
def test_a_malformed_body_is_refused(cast, received, partner_installation, body):
    response = partner_installation.post("referral.erased", body, to=cast.partner)

    assert response.status_code == 422
    assert refused_as(response, "invalid_body")
    assert unchanged(received)


def test_another_partner_cannot_erase_this_partners_referral(cast, received):
    other = register_remote("kisumu-lake-shelter", "Kisumu Lake Shelter")
    apply_directory(
        other.partner,
        {"organisations": [{"code": DESK_CODE, "name": "Lake Desk", "kind": "ngo"}]},
    )
    sealed = other.seal(
        kind="referral.erased",
        body={"referral": SENDER_CODE},
        from_organisation=DESK_CODE,
        to_organisation=cast.partner.code,
    )

    response = other.post(sealed)

    assert response.status_code == 422
    assert refused_as(response, "invalid_body")
    assert unchanged(received)


def test_an_erasure_addressed_to_another_organisation_is_refused(
    cast, received, partner_installation
):
    response = partner_installation.post("referral.erased", {"referral": SENDER_CODE}, to=cast.ngo)

    assert response.status_code == 422
    assert refused_as(response, "invalid_body")
    assert unchanged(received)


def test_a_referral_sent_from_here_cannot_be_erased_by_the_partner(
    cast, make_case, give_consent, partner_installation
):
    case = make_case(given_name="Nasimiyu")
    give_consent(case)
    mine = send_referral(
        case,
        to_organisation=partner_installation.desk,
        by=cast.caseworker,
        service_kind="shelter",
        reason_note="Nasimiyu needs a bed.",
    )

    response = partner_installation.post("referral.erased", {"referral": mine.code}, to=cast.ngo)

    assert response.status_code == 422
    mine.refresh_from_db()
    assert mine.shared["basic"]["given_name"] == "Nasimiyu"
    assert ExchangedReferral.objects.get(referral=mine).erased_at is None


def test_an_erasure_without_organisations_is_refused(cast, received, partner_installation):
    sealed = partner_installation.installation.seal(
        kind="referral.erased", body={"referral": SENDER_CODE}
    )

    response = partner_installation.installation.post(sealed)

    assert response.status_code == 422
    assert unchanged(received)


def test_a_forged_erasure_is_refused_before_it_is_opened(cast, received, partner_installation):
    forger = make_identity("usalama-secretariat")
    sealed = partner_installation.seal(
        "referral.erased",
        {"referral": SENDER_CODE},
        to=cast.partner,
        signing_key=forger.signing_key,
    )

    response = partner_installation.installation.post(sealed)

    assert response.status_code == 403
    assert refused_as(response, "bad_signature")
    assert unchanged(received)


def test_a_tampered_erasure_is_refused(cast, received, partner_installation):
    sealed = partner_installation.seal(
        "referral.erased", {"referral": SENDER_CODE}, to=cast.partner
    )
    flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]

    response = partner_installation.installation.post(replace(sealed, ciphertext=flipped))

    assert response.status_code == 403
    assert unchanged(received)
