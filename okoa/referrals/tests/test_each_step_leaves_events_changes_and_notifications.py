"""Each step of a referral leaves a referral event, an entry on the sender's case timeline, a
change record, and a notification to the other side's members who see identities, naming the
referral by its code only."""

from __future__ import annotations

from okoa.audit.models import ChangeRecord
from okoa.cases.models import CaseEvent
from okoa.notifications.models import Notification
from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    withdraw_referral,
)


def notified(event):
    return set(Notification.objects.filter(event=event).values_list("user__email", flat=True))


def test_sending_tells_the_receiver_and_writes_the_timeline(cast, make_case, refer):
    case = make_case()

    referral = refer(case, sections=["basic", "contact"], urgency="urgent")

    event = case.events.get(kind=CaseEvent.Kind.REFERRAL_SENT)
    assert event.data == {
        "referral": referral.code,
        "to": cast.partner.code,
        "service_kind": "shelter",
        "urgency": "urgent",
        "sections": ["basic", "contact"],
    }
    assert referral.events.get().status == "sent"
    assert ChangeRecord.objects.filter(record_kind="referral", action="sent").exists()
    assert notified("referral_received") == {cast.partner_caseworker.email}
    notification = Notification.objects.get(event="referral_received")
    assert notification.reference == referral.code
    assert notification.path == f"/referrals/{referral.code}/"


def test_every_answer_tells_the_sender_and_only_members_who_see_identities(cast, make_case, refer):
    accepted = refer(make_case())
    declined = refer(make_case())
    accept_referral(accepted, by=cast.partner_caseworker)
    decline_referral(declined, reason="no_capacity", by=cast.partner_caseworker)
    complete_referral(accepted, outcome="service_provided", by=cast.partner_caseworker)

    senders = {cast.caseworker.email, cast.supervisor.email, cast.admin.email}
    for event in ("referral_accepted", "referral_declined", "referral_completed"):
        assert notified(event) == senders  # not the analyst, not the hotline operator


def test_withdrawing_tells_the_receiver(cast, make_case, refer):
    referral = refer(make_case())

    withdraw_referral(referral, reason="Went home to her family", by=cast.caseworker)

    assert notified("referral_withdrawn") == {cast.partner_caseworker.email}


def test_answers_are_on_the_senders_timeline_without_the_notes(cast, make_case, refer):
    case = make_case()
    referral = refer(case)
    decline_referral(
        referral,
        reason="other",
        note="Our only female counsellor is on leave",
        by=cast.partner_caseworker,
    )

    event = case.events.get(kind=CaseEvent.Kind.REFERRAL_UPDATED)
    assert event.data == {"referral": referral.code, "status": "declined", "reason": "other"}
    assert event.by == cast.partner_caseworker
    change = ChangeRecord.objects.get(record_code=referral.code, action="declined")
    assert change.organisation == cast.partner
    assert change.fields == ["decline_note", "decline_reason", "status"]
    step = referral.events.last()
    assert (step.status, step.organisation, step.data) == (
        "declined",
        cast.partner,
        {"reason": "other"},
    )
