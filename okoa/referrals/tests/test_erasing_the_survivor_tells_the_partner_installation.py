"""Erasing a survivor whose referral went to a partner installation queues, in the erasure's own
transaction, one ``referral.erased`` message naming the referral by its code and nothing else,
when the ``referral.sent`` message may have reached the partner (delivered, or posted without
an acknowledgement). A referral whose message never left needs none; a local referral none; a
failed erasure queues nothing. An answer that arrives afterwards keeps its category, not its
note."""

from __future__ import annotations

import pytest
from django.utils import timezone

from okoa.audit.models import ChangeRecord
from okoa.exchange.models import OutboundMessage
from okoa.referrals.actions import send_referral
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.retention.actions import MESSAGE_ERASED, erase_person_data


@pytest.fixture
def case(make_case):
    return make_case(
        given_name="Nasimiyu",
        family_name="Wafula",
        phone_numbers=["0700 000 284"],
        passport_number="DEMO-4410",
    )


def refer_to_partner(cast, case, give_consent, world) -> Referral:
    give_consent(case, sections=["basic", "contact", "identity_documents"])
    return send_referral(
        case,
        to_organisation=world.desk,
        by=cast.caseworker,
        service_kind="legal_aid",
        sections=["basic", "contact", "identity_documents"],
        reason_note="Nasimiyu needs a lawyer before the hearing.",
    )


def mark_sent(message: OutboundMessage, **values) -> None:
    """What delivery leaves behind (``okoa.exchange.delivery``), without a network."""
    OutboundMessage.objects.filter(pk=message.pk).update(**values)


def delivered(message: OutboundMessage) -> None:
    mark_sent(message, status="delivered", delivered_at=timezone.now(), body=None, attempts=1)


def erase(person, cast):
    return erase_person_data(person, by=cast.supervisor, reason_code="request")


def test_the_erasure_queues_one_message_naming_the_referral_only(
    cast, case, give_consent, partner_installation
):
    referral = refer_to_partner(cast, case, give_consent, partner_installation)
    [sent] = partner_installation.sent("referral.sent")
    delivered(sent)

    erase(case.person, cast)

    [message] = partner_installation.sent("referral.erased")
    assert message.body == {"referral": referral.code}
    assert (message.from_organisation, message.to_organisation) == (
        cast.ngo,
        partner_installation.desk,
    )
    assert (message.status, message.in_reply_to) == ("queued", None)
    link = ExchangedReferral.objects.get(referral=referral)
    assert link.erased_at is not None and link.erasure_message_id == message.message_id
    change = ChangeRecord.objects.get(record_kind="referral", action="erased")
    assert "partner_copy" in change.fields and "shared" in change.fields
    # Erasing again is a no-op: nothing more is sent.
    assert erase(case.person, cast) is None
    assert len(partner_installation.sent("referral.erased")) == 1


@pytest.mark.parametrize(
    "left",
    [
        {"status": "failed", "attempts": 1, "last_error": "unreachable (TimeoutError)"},
        {"status": "sending", "attempts": 1},
        # Queued again with --retry-given-up after attempts that may have arrived.
        {"status": "queued", "attempts": 0, "last_error": "HTTP 503"},
    ],
)
def test_a_referral_posted_without_an_acknowledgement_is_told_too(
    cast, case, give_consent, partner_installation, left
):
    referral = refer_to_partner(cast, case, give_consent, partner_installation)
    [sent] = partner_installation.sent("referral.sent")
    mark_sent(sent, **left)

    erase(case.person, cast)

    [message] = partner_installation.sent("referral.erased")
    assert message.body == {"referral": referral.code}
    sent.refresh_from_db()
    assert (sent.body, sent.last_error) == (None, MESSAGE_ERASED)


def test_a_referral_whose_message_never_left_needs_no_erasure_message(
    cast, case, give_consent, partner_installation
):
    referral = refer_to_partner(cast, case, give_consent, partner_installation)

    erase(case.person, cast)

    assert partner_installation.sent("referral.erased") == []
    [sent] = partner_installation.sent("referral.sent")
    assert (sent.status, sent.body) == ("given_up", None)  # emptied, never delivered
    link = ExchangedReferral.objects.get(referral=referral)
    assert link.erased_at is not None and link.erasure_message_id is None
    change = ChangeRecord.objects.get(record_kind="referral", action="erased")
    assert "partner_copy" not in change.fields


def test_a_partner_that_is_not_connected_gets_it_once_it_is(
    cast, case, give_consent, partner_installation
):
    refer_to_partner(cast, case, give_consent, partner_installation)
    delivered(partner_installation.sent("referral.sent")[0])
    partner = partner_installation.partner
    partner.is_active = False
    partner.save(update_fields=["is_active"])

    erase(case.person, cast)

    [message] = partner_installation.sent("referral.erased")
    assert message.status == "queued" and message.body is not None


def test_a_local_referral_sends_nothing(cast, case, refer):
    refer(case)

    erase(case.person, cast)

    assert not OutboundMessage.objects.exists()


def test_a_failed_erasure_queues_nothing(
    cast, case, give_consent, partner_installation, monkeypatch
):
    referral = refer_to_partner(cast, case, give_consent, partner_installation)
    delivered(partner_installation.sent("referral.sent")[0])

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("okoa.retention.actions._wipe_reports", fail)
    with pytest.raises(RuntimeError):
        erase(case.person, cast)

    assert partner_installation.sent("referral.erased") == []
    assert ExchangedReferral.objects.get(referral=referral).erased_at is None
    assert Referral.objects.get(pk=referral.pk).shared["basic"]["given_name"] == "Nasimiyu"


def test_an_answer_arriving_after_the_erasure_keeps_its_category_not_its_note(
    cast, case, give_consent, partner_installation
):
    referral = refer_to_partner(cast, case, give_consent, partner_installation)
    [sent] = partner_installation.sent("referral.sent")
    delivered(sent)
    erase(case.person, cast)

    response = partner_installation.post(
        "referral.answered",
        {
            "referral": referral.code,
            "receiver_referral": "usalamaRef0001",
            "status": "declined",
            "reason": "other",
            "note": "Nasimiyu already has a lawyer from her church.",
        },
        to=cast.ngo,
        in_reply_to=sent.message_id,
    )

    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "other")
    assert "Nasimiyu" not in referral.decline_note
    assert referral.decline_note.startswith("Not kept")
