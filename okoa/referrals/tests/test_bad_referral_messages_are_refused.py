"""A ``referral.sent`` message that is malformed, forged or tampered with creates nothing: a
body the handler cannot accept is refused (422) and recorded, a signature that does not verify
is refused (403) before anything is opened; each refusal is logged without the content."""

from __future__ import annotations

from dataclasses import replace

import pytest

from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.exchange.tests.conftest import make_identity
from okoa.notifications.models import Notification
from okoa.referrals.models import Referral
from okoa.referrals.tests.partner_world import referral_body


def nothing_was_kept() -> bool:
    return not (
        Referral.objects.exists()
        or InboundMessage.objects.exists()
        or Notification.objects.exists()
    )


def basic(**values):
    return {"version": 1, "basic": {"given_name": "Halima", **values}}


@pytest.mark.parametrize(
    "changes",
    [
        {"referral": ""},
        {"referral": "a/b"},
        {"urgency": "tomorrow"},
        {"service_kind": "massage"},
        {"sent_at": "yesterday"},
        {"respond_by": "2020-01-01T00:00:00Z"},
        {"sections": ["contact"]},
        {"sections": ["basic", "basic"]},
        {"sections": ["basic", "bank_account"]},
        {"sections": "basic"},
        {"shared": "Halima"},
        {"shared": basic(age="nineteen")},
        {"shared": {**basic(), "contact": {"phone_numbers": "0700 000 177"}}},
        {"reason_note": ""},
        {"reason_note": "x" * 20001},
        {"reason_note": None},
    ],
)
def test_a_malformed_referral_is_refused_and_nothing_is_kept(
    cast, partner_installation, changes, caplog
):
    body = referral_body(**changes)

    response = partner_installation.post("referral.sent", body, to=cast.partner)

    assert response.status_code == 422
    assert response.json()["reason"] == "invalid_body"
    assert nothing_was_kept()
    assert RefusedMessage.objects.get().reason == "invalid_body"
    assert "Halima" not in caplog.text


def test_a_referral_between_installations_without_organisations_is_refused(
    cast, partner_installation
):
    sealed = partner_installation.installation.seal(kind="referral.sent", body=referral_body())

    response = partner_installation.installation.post(sealed)

    assert response.status_code == 422
    assert nothing_was_kept()


def test_a_tampered_referral_is_refused_before_it_is_opened(cast, partner_installation, caplog):
    sealed = partner_installation.seal("referral.sent", referral_body(), to=cast.partner)
    flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]

    response = partner_installation.installation.post(replace(sealed, ciphertext=flipped))

    assert response.status_code == 403
    assert nothing_was_kept()
    assert RefusedMessage.objects.get().reason == "bad_signature"
    assert "exchange message refused: bad_signature" in caplog.text


def test_a_referral_signed_with_another_key_is_refused(cast, partner_installation):
    forger = make_identity("usalama-secretariat")

    sealed = partner_installation.seal(
        "referral.sent", referral_body(), to=cast.partner, signing_key=forger.signing_key
    )
    response = partner_installation.installation.post(sealed)

    assert response.status_code == 403
    assert nothing_was_kept()
    assert RefusedMessage.objects.get().reason == "bad_signature"
