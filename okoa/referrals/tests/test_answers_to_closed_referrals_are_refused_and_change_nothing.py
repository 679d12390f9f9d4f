"""An answer the referral can no longer take here (it was withdrawn, or already declined), an
answer naming a referral that does not exist or joins other organisations: the handler refuses
it, the inbox answers 422 and records the refusal, and nothing changes."""

from __future__ import annotations

import uuid

import pytest

from okoa.audit.models import ChangeRecord
from okoa.cases.models import CaseEvent
from okoa.exchange.actions import apply_directory
from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.notifications.models import Notification
from okoa.referrals.actions import decline_referral, send_referral, withdraw_referral
from okoa.referrals.models import Referral, ReferralEvent
from okoa.referrals.tests.partner_world import DESK_CODE, DESK_NAME


@pytest.fixture
def sent(cast, make_case, give_consent, partner_installation) -> Referral:
    case = make_case(given_name="Wangari")
    give_consent(case)
    return send_referral(
        case,
        to_organisation=partner_installation.desk,
        by=cast.caseworker,
        service_kind="medical",
        reason_note="Needs a medical check.",
    )


def post_answer(world, code, status, *, to, from_code=None, in_reply_to=None, **fields):
    [sent_message] = world.sent("referral.sent")
    body = {"referral": code, "receiver_referral": "usalamaRef00001", "status": status, **fields}
    return world.post(
        "referral.answered",
        body,
        to=to,
        in_reply_to=in_reply_to or sent_message.message_id,
        **({"from_code": from_code} if from_code else {}),
    )


def state(referral):
    referral.refresh_from_db()
    return {
        "status": referral.status,
        "version": referral.version,
        "events": ReferralEvent.objects.count(),
        "case_events": CaseEvent.objects.filter(kind=CaseEvent.Kind.REFERRAL_UPDATED).count(),
        "changes": ChangeRecord.objects.filter(record_kind="referral").count(),
        "notifications": Notification.objects.count(),
        "inbound": InboundMessage.objects.count(),
    }


def assert_refused(response, before, referral):
    assert response.status_code == 422
    assert response.json() == {"status": "rejected", "reason": "invalid_body"}
    assert state(referral) == before
    refusal = RefusedMessage.objects.get()
    assert (refusal.reason, refusal.kind) == ("invalid_body", "referral.answered")


def test_an_acceptance_of_a_withdrawn_referral_is_refused(cast, sent, partner_installation):
    withdraw_referral(sent, reason="She found a place with her aunt.", by=cast.caseworker)
    before = state(sent)

    response = post_answer(partner_installation, sent.code, "accepted", to=cast.ngo)

    assert_refused(response, before, sent)
    assert sent.status == "withdrawn"


def test_a_completion_of_a_declined_referral_is_refused(cast, sent, partner_installation):
    decline_referral(sent, reason="no_capacity", by=None, partner=partner_installation.partner)
    before = state(sent)

    response = post_answer(
        partner_installation, sent.code, "completed", to=cast.ngo, outcome="service_provided"
    )

    assert_refused(response, before, sent)


def test_an_answer_for_a_referral_that_does_not_exist_is_refused(cast, sent, partner_installation):
    before = state(sent)

    response = post_answer(partner_installation, "noSuchReferral1", "accepted", to=cast.ngo)

    assert_refused(response, before, sent)


def test_another_organisation_of_the_partner_cannot_answer_for_the_receiver(
    cast, sent, partner_installation
):
    apply_directory(
        partner_installation.partner,
        {
            "organisations": [
                {"code": DESK_CODE, "name": DESK_NAME, "kind": "ctip_secretariat"},
                {"code": "usalamaPolice01", "name": "Usalama Police Post", "kind": "police"},
            ]
        },
    )
    before = state(sent)

    response = post_answer(
        partner_installation, sent.code, "accepted", to=cast.ngo, from_code="usalamaPolice01"
    )

    assert_refused(response, before, sent)


def test_an_answer_addressed_to_another_local_organisation_is_refused(
    cast, sent, partner_installation
):
    before = state(sent)

    response = post_answer(partner_installation, sent.code, "accepted", to=cast.partner)

    assert_refused(response, before, sent)


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "withdrawn"},
        {"status": "declined"},
        {"status": "declined", "reason": "tired"},
        {"status": "completed", "outcome": "service_provided", "note": 42},
        {"status": "accepted", "receiver_referral": "../../etc"},
    ],
)
def test_a_malformed_answer_is_refused(cast, sent, partner_installation, fields):
    before = state(sent)

    response = post_answer(partner_installation, sent.code, to=cast.ngo, **fields)

    assert_refused(response, before, sent)


def test_an_answer_that_replies_to_another_message_is_refused(cast, sent, partner_installation):
    before = state(sent)

    response = post_answer(
        partner_installation, sent.code, "accepted", to=cast.ngo, in_reply_to=uuid.uuid4()
    )

    assert_refused(response, before, sent)
