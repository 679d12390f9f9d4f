"""Messages between installations may arrive out of order. A completion that arrives before
the acceptance, or a withdrawal before the referral itself, is answered "try again later"
(503) and changes nothing; once the earlier message is in, the same message is taken."""

from __future__ import annotations

import uuid

from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.referrals.actions import send_referral
from okoa.referrals.models import Referral
from okoa.referrals.tests.partner_world import referral_body


def test_a_completion_before_the_acceptance_waits_for_it(
    cast, make_case, give_consent, partner_installation
):
    case = make_case()
    give_consent(case)
    referral = send_referral(
        case,
        to_organisation=partner_installation.desk,
        by=cast.caseworker,
        service_kind="psychosocial",
        reason_note="Counselling in Kiswahili.",
    )
    [sent] = partner_installation.sent("referral.sent")
    completion_id = uuid.uuid4()

    def answer(status, message_id, **fields):
        body = {"referral": referral.code, "receiver_referral": "usalamaRef00002", "status": status}
        return partner_installation.post(
            "referral.answered",
            {**body, **fields},
            to=cast.ngo,
            in_reply_to=sent.message_id,
            message_id=message_id,
        )

    early = answer("completed", completion_id, outcome="service_provided")

    assert early.status_code == 503 and early.json()["retry"] is True
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("sent", 1)
    assert not InboundMessage.objects.exists() and not RefusedMessage.objects.exists()

    assert answer("accepted", uuid.uuid4()).status_code == 200
    assert answer("completed", completion_id, outcome="service_provided").status_code == 200

    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "service_provided")
    assert [event.status for event in referral.events.all()] == ["sent", "accepted", "completed"]


def test_a_withdrawal_before_the_referral_waits_for_it(client, cast, partner_installation):
    withdrawal_id = uuid.uuid4()

    def withdraw():
        return partner_installation.post(
            "referral.withdrawn",
            {"referral": "pwaniReferral01"},
            to=cast.partner,
            message_id=withdrawal_id,
        )

    assert withdraw().status_code == 503
    assert not Referral.objects.exists() and not InboundMessage.objects.exists()

    partner_installation.post("referral.sent", referral_body(), to=cast.partner)
    assert withdraw().status_code == 200

    referral = Referral.objects.get()
    assert referral.status == "withdrawn" and referral.closed_at is not None
    [_sent, withdrawn] = referral.events.all()
    assert withdrawn.organisation == partner_installation.desk
    assert withdrawn.data == {"installation": "usalama-secretariat"}
    # The receiver no longer sees the survivor's details, and nothing is sent back.
    client.force_login(cast.partner_caseworker)
    page = client.get(f"/referrals/{referral.code}/").content.decode()
    assert "Halima" not in page and "no longer shown" in page
    assert partner_installation.sent("referral.answered") == []
