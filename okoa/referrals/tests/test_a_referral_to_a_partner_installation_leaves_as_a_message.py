"""A referral to an organisation of a partner installation leaves as one ``referral.sent``
message, queued in the referral's own transaction, carrying the shared sections and the reason
and nothing else of the case; a referral that is refused queues nothing."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from okoa.exchange.models import OutboundMessage
from okoa.referrals.actions import send_referral
from okoa.referrals.models import ExchangedReferral, Referral


@pytest.fixture
def case(make_case, places):
    return make_case(
        given_name="Chepkoech",
        family_name="Rotich",
        county=places.nairobi,
        phone_numbers=["0700 000 162"],
        passport_number="DEMO-6621",
    )


def refer_to_partner(cast, case, world, **values):
    values.setdefault("sections", ["basic", "contact"])
    return send_referral(
        case,
        to_organisation=world.desk,
        by=cast.caseworker,
        service_kind="legal_aid",
        urgency="urgent",
        reason_note="Needs a lawyer before the hearing on Monday.",
        **values,
    )


def test_the_message_carries_the_shared_sections_and_nothing_else_of_the_case(
    cast, case, give_consent, partner_installation
):
    give_consent(case, organisations=[partner_installation.desk])

    referral = refer_to_partner(cast, case, partner_installation)

    [message] = partner_installation.sent("referral.sent")
    assert (message.from_organisation, message.to_organisation) == (
        cast.ngo,
        referral.to_organisation,
    )
    assert message.status == OutboundMessage.Status.QUEUED and message.in_reply_to is None
    body = message.body
    assert set(body) == {
        "referral",
        "urgency",
        "service_kind",
        "sent_at",
        "respond_by",
        "sections",
        "shared",
        "reason_note",
    }
    assert body["referral"] == referral.code
    assert (body["urgency"], body["service_kind"]) == ("urgent", "legal_aid")
    assert body["sections"] == ["basic", "contact"]
    assert body["shared"] == referral.shared
    assert body["shared"]["basic"]["given_name"] == "Chepkoech"
    assert body["shared"]["contact"]["phone_numbers"] == ["0700 000 162"]
    assert body["reason_note"] == "Needs a lawyer before the hearing on Monday."
    text = json.dumps(body)
    for internal in (
        case.code,
        case.reference,
        case.person.code,
        "Rotich",
        "DEMO-6621",
        cast.caseworker.email,
    ):
        assert internal not in text
    exchanged = ExchangedReferral.objects.get(referral=referral)
    assert exchanged.direction == "sent" and exchanged.partner == partner_installation.partner
    assert exchanged.message_id == message.message_id


def test_a_referral_without_consent_for_the_partner_queues_nothing(
    cast, case, give_consent, partner_installation
):
    give_consent(case, organisations=[cast.partner])

    with pytest.raises(ValidationError) as refused:
        refer_to_partner(cast, case, partner_installation)

    assert "to_organisation" in refused.value.message_dict
    assert not Referral.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_a_partner_that_is_not_connected_is_refused_on_the_organisation_field(
    cast, case, give_consent, partner_installation
):
    give_consent(case)
    partner = partner_installation.partner
    partner.is_active = False
    partner.save(update_fields=["is_active"])

    with pytest.raises(ValidationError) as refused:
        refer_to_partner(cast, case, partner_installation)

    assert "not connected" in refused.value.message_dict["to_organisation"][0]
    assert not Referral.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_shared_details_too_large_for_one_message_are_refused_on_the_sections_field(
    cast, case, give_consent, partner_installation
):
    from okoa.cases.actions import update_case

    give_consent(case, sections=["basic", "narrative"])
    update_case(case, by=cast.caseworker, narrative="A long account. " * 40000)

    with pytest.raises(ValidationError) as refused:
        refer_to_partner(cast, case, partner_installation, sections=["basic", "narrative"])

    assert "cannot be sent to another installation" in refused.value.message_dict["sections"][0]
    assert not Referral.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_a_local_member_cannot_answer_for_the_partners_organisation(
    cast, case, give_consent, partner_installation
):
    from okoa.referrals.actions import accept_referral

    give_consent(case)
    referral = refer_to_partner(cast, case, partner_installation)

    with pytest.raises(ValidationError):
        accept_referral(referral, by=cast.caseworker)

    referral.refresh_from_db()
    assert referral.status == "sent" and referral.version == 1
    assert partner_installation.sent("referral.answered") == []
