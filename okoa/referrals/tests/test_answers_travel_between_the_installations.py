"""Answers cross the installations through the real actions. Here as the receiver: accepting,
declining and completing a partner's referral queue ``referral.answered`` messages, in reply to
the message that brought it. Here as the sender: the partner's answers move the referral,
leave the case's ``REFERRAL_UPDATED`` event naming the partner, notify the sender's members,
and are never sent back."""

from __future__ import annotations

import pytest

from okoa.cases.models import CaseEvent
from okoa.exchange.models import InboundMessage, OutboundMessage
from okoa.notifications.models import Notification
from okoa.referrals.actions import send_referral
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.referrals.tests.partner_world import referral_body

# Here as the receiver --------------------------------------------------------------------------


@pytest.fixture
def received(cast, partner_installation) -> Referral:
    """A referral from the partner's desk to ``cast.partner``."""
    partner_installation.post("referral.sent", referral_body(), to=cast.partner)
    return Referral.objects.get()


def answer(client, referral, action, **data):
    return client.post(
        f"/referrals/{referral.code}/{action}/", {"version": referral.version, **data}
    )


def test_accepting_and_completing_answer_the_sender_installation(
    client, cast, received, partner_installation
):
    client.force_login(cast.partner_caseworker)

    assert answer(client, received, "accept").status_code == 302
    received.refresh_from_db()
    assert (
        answer(
            client, received, "complete", outcome="service_provided", note="Stayed nine nights."
        ).status_code
        == 302
    )

    sent_message = InboundMessage.objects.get(kind="referral.sent").message_id
    accepted, completed = partner_installation.sent("referral.answered")
    for message in (accepted, completed):
        assert (message.from_organisation, message.to_organisation) == (
            cast.partner,
            partner_installation.desk,
        )
        assert message.in_reply_to == sent_message
    assert accepted.body == {
        "referral": "pwaniReferral01",
        "receiver_referral": received.code,
        "status": "accepted",
    }
    assert completed.body == {
        "referral": "pwaniReferral01",
        "receiver_referral": received.code,
        "status": "completed",
        "outcome": "service_provided",
        "note": "Stayed nine nights.",
    }
    received.refresh_from_db()
    assert received.status == "completed"
    assert [event.by for event in received.events.all()] == [None, *[cast.partner_caseworker] * 2]


def test_declining_answers_with_the_reason_and_the_note(
    client, cast, received, partner_installation
):
    client.force_login(cast.partner_caseworker)

    answer(client, received, "decline", reason="outside_area", note="We serve Nairobi only.")

    [message] = partner_installation.sent("referral.answered")
    assert message.body == {
        "referral": "pwaniReferral01",
        "receiver_referral": received.code,
        "status": "declined",
        "reason": "outside_area",
        "note": "We serve Nairobi only.",
    }


def test_a_refused_answer_queues_nothing(client, cast, received, partner_installation):
    client.force_login(cast.partner_caseworker)

    response = answer(client, received, "decline", reason="other")

    assert response.status_code == 400
    assert partner_installation.sent("referral.answered") == []
    received.refresh_from_db()
    assert received.status == "sent"


# Here as the sender ----------------------------------------------------------------------------


@pytest.fixture
def sent(cast, make_case, give_consent, partner_installation) -> Referral:
    """A referral from ``cast.ngo`` to the partner's desk."""
    case = make_case(given_name="Makena")
    give_consent(case)
    return send_referral(
        case,
        to_organisation=partner_installation.desk,
        by=cast.caseworker,
        service_kind="shelter",
        reason_note="Needs a bed near the coast.",
    )


def post_answer(world, referral, status, **fields):
    [sent_message] = world.sent("referral.sent")
    body = {"referral": referral.code, "receiver_referral": "usalamaRef00001", "status": status}
    body.update(fields)
    return world.post(
        "referral.answered",
        body,
        to=referral.from_organisation,
        in_reply_to=sent_message.message_id,
    )


def test_the_partners_acceptance_and_completion_close_the_loop(cast, sent, partner_installation):
    assert post_answer(partner_installation, sent, "accepted").status_code == 200
    response = post_answer(
        partner_installation, sent, "completed", outcome="partly_provided", note="Left early."
    )

    assert response.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.outcome, sent.outcome_note) == (
        "completed",
        "partly_provided",
        "Left early.",
    )
    assert sent.accepted_at is not None and sent.closed_at is not None
    events = list(sent.events.all())
    assert [event.status for event in events] == ["sent", "accepted", "completed"]
    for event in events[1:]:
        assert event.by is None and event.organisation == partner_installation.desk
        assert event.data["installation"] == "usalama-secretariat"
    timeline = sent.case.events.filter(kind=CaseEvent.Kind.REFERRAL_UPDATED).order_by("id")
    assert [(event.by, event.data["status"], event.data["installation"]) for event in timeline] == [
        (None, "accepted", "usalama-secretariat"),
        (None, "completed", "usalama-secretariat"),
    ]
    told = Notification.objects.filter(event="referral_completed", user=cast.caseworker)
    assert told.get().reference == sent.code
    assert ExchangedReferral.objects.get(referral=sent).remote_code == "usalamaRef00001"
    # Nothing goes back: the moves came from the partner.
    assert OutboundMessage.objects.exclude(kind="referral.sent").count() == 0


def test_the_partners_decline_reaches_the_senders_page(client, cast, sent, partner_installation):
    post_answer(partner_installation, sent, "declined", reason="no_capacity", note="Full tonight.")
    client.force_login(cast.caseworker)

    page = client.get(f"/referrals/{sent.code}/").content.decode()

    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason, sent.decline_note) == (
        "declined",
        "no_capacity",
        "Full tonight.",
    )
    assert "No capacity now" in page and "Full tonight." in page
    assert "through the exchange" in page


def test_the_same_answer_in_another_message_changes_nothing(cast, sent, partner_installation):
    post_answer(partner_installation, sent, "accepted")
    sent.refresh_from_db()
    version = sent.version

    assert post_answer(partner_installation, sent, "accepted").status_code == 200

    sent.refresh_from_db()
    assert sent.version == version
    assert sent.events.filter(status="accepted").count() == 1
