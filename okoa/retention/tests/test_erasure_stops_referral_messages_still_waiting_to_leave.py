"""A referral to an organisation of another installation leaves as a message that waits in the
outbox until the partner acknowledges it. Erasing the survivor empties every such message that
still carries her details, and it is never delivered; a message of codes only (a withdrawal)
still goes, and other survivors' messages are untouched. What was delivered already is wiped
by the partner when the ``referral.erased`` message reaches it
(``okoa/referrals/tests/test_erasure_reaches_the_copy_on_the_partner_installation.py``)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.exchange import delivery
from okoa.exchange.actions import add_partner, apply_directory
from okoa.exchange.identity import build_identity, new_identity_values, parse_card
from okoa.exchange.models import OutboundMessage, RemoteOrganisation
from okoa.referrals.actions import record_consent, send_referral, withdraw_referral
from okoa.referrals.models import Referral
from okoa.retention.actions import MESSAGE_ERASED

DESK = {"code": "pwaniDesk000007", "name": "Pwani Referral Desk", "kind": "ngo"}


@pytest.fixture
def desk(settings, cast):
    """This installation's identity and a partner's organisation (its stand-in here)."""
    values = new_identity_values()
    settings.OKOA_EXCHANGE_INSTALLATION_ID = "tumaini-test"
    settings.OKOA_EXCHANGE_SIGNING_KEY = values["signing_key"]
    settings.OKOA_EXCHANGE_ENCRYPTION_KEY = values["encryption_key"]
    settings.OKOA_EXCHANGE_BASE_URL = "http://127.0.0.1:9"
    settings.OKOA_EXCHANGE_SEND_IN_BACKGROUND = False
    theirs = new_identity_values()
    identity = build_identity(
        "pwani-safe-passage",
        theirs["signing_key"],
        theirs["encryption_key"],
        "http://127.0.0.1:9",
    )
    card = parse_card(json.dumps(identity.card(name="Pwani Safe Passage")))
    partner = add_partner(card, by=None)
    apply_directory(partner, {"organisations": [DESK]})
    return RemoteOrganisation.objects.get(remote_code=DESK["code"]).organisation


def refer_to_partner(cast, case, desk) -> Referral:
    record_consent(
        case,
        by=cast.caseworker,
        given_by="survivor",
        given_on=timezone.localdate(),
        sections=["basic", "contact"],
        organisations=[desk],
    )
    return send_referral(
        case,
        to_organisation=desk,
        by=cast.caseworker,
        reason_note="She asks for a safe bed in Malindi.",
        service_kind="shelter",
        sections=["basic", "contact"],
    )


def sealed_bodies() -> set[str]:
    """The outbox's bodies as stored (sealed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM exchange_outboundmessage WHERE body IS NOT NULL")
        return {value for (value,) in cursor.fetchall() if value}


def test_a_referral_still_waiting_to_leave_is_emptied_and_never_delivered(
    cast, make_case, desk, erase
):
    case = make_case(given_name="Mwanaisha", family_name="Bakari")
    referral = refer_to_partner(cast, case, desk)
    [message] = OutboundMessage.objects.filter(to_organisation=desk)
    assert (message.body or {})["shared"]["basic"]["given_name"] == "Mwanaisha"
    sealed = sealed_bodies()

    erase(case.person)

    message.refresh_from_db()
    assert message.body is None
    assert (message.status, message.last_error) == ("given_up", MESSAGE_ERASED)
    assert message.pk not in delivery.due_messages()
    assert not delivery.claim(message.pk)
    assert not sealed & sealed_bodies()
    assert Referral.objects.get(pk=referral.pk).shared == {}
    change = ChangeRecord.objects.get(record_kind="exchange_message", action="erased")
    assert (change.record_code, change.fields) == (message.message_id.hex, ["body"])


def test_a_sender_that_held_it_meanwhile_does_not_take_it_again(cast, make_case, desk, erase):
    case = make_case(given_name="Mwanaisha", family_name="Bakari")
    refer_to_partner(cast, case, desk)
    message = OutboundMessage.objects.get(to_organisation=desk)

    erase(case.person)
    # A sender thread that had claimed it before the erasure fails, and marks it for a retry.
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundMessage.Status.FAILED, next_attempt_at=timezone.now()
    )

    assert message.pk not in delivery.due_messages()
    assert not delivery.claim(message.pk)


def test_a_withdrawal_carries_only_codes_and_still_goes(cast, make_case, desk, erase):
    case = make_case(given_name="Mwanaisha", family_name="Bakari")
    referral = refer_to_partner(cast, case, desk)
    withdraw_referral(referral, reason="She found a bed with her cousin.", by=cast.caseworker)
    withdrawal = OutboundMessage.objects.filter(to_organisation=desk).order_by("id").last()
    assert withdrawal is not None and withdrawal.body == {"referral": referral.code}

    erase(case.person)

    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.body) == ("queued", {"referral": referral.code})
    assert withdrawal.pk in delivery.due_messages()


def test_another_survivors_message_is_untouched(cast, make_case, desk, erase):
    erased_case = make_case(given_name="Mwanaisha", family_name="Bakari")
    other_case = make_case(given_name="Zuhura", family_name="Omari")
    refer_to_partner(cast, erased_case, desk)
    other = refer_to_partner(cast, other_case, desk)

    erase(erased_case.person)

    [message] = [
        message
        for message in OutboundMessage.objects.filter(status="queued")
        if (message.body or {}).get("referral") == other.code
    ]
    assert (message.body or {})["shared"]["basic"]["given_name"] == "Zuhura"
    assert message.pk in delivery.due_messages()
