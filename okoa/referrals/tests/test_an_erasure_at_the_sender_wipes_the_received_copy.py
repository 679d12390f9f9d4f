"""A ``referral.erased`` message from the partner installation that sent a referral wipes the copy
here: the snapshot and the reason are gone from the stored rows, an open referral is withdrawn
(its page and history say the details were erased at the sender) and the receiving
organisation is told. The receiver's own answer stays, with its notes unless they name the
survivor; its answers still waiting to leave lose their notes. The same message again, or
another one about the same referral, changes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from okoa.audit.models import ChangeRecord
from okoa.exchange.models import InboundMessage
from okoa.lib.fields import EncryptedMixin
from okoa.notifications.models import Notification
from okoa.referrals.actions import accept_referral, complete_referral, decline_referral
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.referrals.tests.partner_world import referral_body

SENDER_CODE = "pwaniReferral01"
# What the partner's referral shared (partner_world.referral_body): none of it may stay.
SHARED = ["Halima", "700 000 177", "0700 000 177", "Kilifi", "safe bed tonight"]


def receive(cast, world) -> Referral:
    response = world.post("referral.sent", referral_body(SENDER_CODE), to=cast.partner)
    assert response.status_code == 200
    return Referral.objects.get(exchanged__remote_code=SENDER_CODE)


def erasure(world, cast, **values):
    values.setdefault("to", cast.partner)
    return world.post("referral.erased", {"referral": SENDER_CODE}, **values)


def stored_referral_texts(referral: Referral) -> str:
    """The referral's encrypted columns as stored, opened with the key ring."""
    fields = [
        field for field in Referral._meta.concrete_fields if isinstance(field, EncryptedMixin)
    ]
    columns = ", ".join(connection.ops.quote_name(field.column or field.name) for field in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM referrals_referral WHERE id = %s", [referral.pk])
        raw = cursor.fetchone()
    opened = [
        field.from_db_value(value, None, connection)
        for field, value in zip(fields, raw, strict=True)
    ]
    return repr(opened)


def test_an_open_referral_is_wiped_withdrawn_and_its_organisation_told(
    client, cast, partner_installation
):
    referral = receive(cast, partner_installation)
    assert "Halima" in stored_referral_texts(referral)

    response = erasure(partner_installation, cast)

    assert response.status_code == 200
    referral.refresh_from_db()
    stored = stored_referral_texts(referral)
    for text in SHARED:
        assert text not in stored
    assert (referral.shared, referral.reason_note) == ({}, "")
    assert (referral.status, referral.version) == ("withdrawn", 2)
    assert referral.closed_at is not None
    assert referral.sections == ["basic", "contact"]  # which sections, not what they said
    link = ExchangedReferral.objects.get(referral=referral)
    assert link.erased_at is not None
    assert link.erasure_message_id == InboundMessage.objects.get(kind="referral.erased").message_id
    event = referral.events.last()
    assert event is not None and event.status == "withdrawn" and event.by is None
    assert event.data == {"installation": "usalama-secretariat", "erased": True, "withdrawn": True}
    change = ChangeRecord.objects.get(record_code=referral.code, action="erased")
    assert change.organisation == cast.partner and change.user is None
    assert set(change.fields) == {"shared", "reason_note", "status"}
    [notification] = Notification.objects.filter(event="referral_withdrawn")
    assert notification.user == cast.partner_caseworker
    assert (notification.reference, notification.path) == (
        referral.code,
        f"/referrals/{referral.code}/",
    )

    client.force_login(cast.partner_caseworker)
    page = client.get(f"/referrals/{referral.code}/").content.decode()
    assert "The sending organisation erased the survivor's details" in page
    assert "Withdrawn: the survivor's details were erased at the sender" in page
    assert "Halima" not in page and "0700 000 177" not in page


def test_an_accepted_referral_is_withdrawn_and_can_no_longer_be_completed(
    cast, partner_installation
):
    referral = receive(cast, partner_installation)
    accept_referral(referral, by=cast.partner_caseworker)

    erasure(partner_installation, cast)

    referral.refresh_from_db()
    assert (referral.status, referral.shared) == ("withdrawn", {})
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        complete_referral(referral, outcome="service_provided", by=cast.partner_caseworker)


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("Stayed nine nights; moved on to a training programme.", True),
        ("Halima stayed nine nights.", False),
        ("Her new number is +254 700 000-177.", False),
    ],
)
def test_a_closed_referral_keeps_the_receivers_outcome_and_its_note_unless_it_names_her(
    cast, partner_installation, note, kept
):
    referral = receive(cast, partner_installation)
    accept_referral(referral, by=cast.partner_caseworker)
    complete_referral(referral, outcome="service_provided", note=note, by=cast.partner_caseworker)
    notified = Notification.objects.count()

    erasure(partner_installation, cast)

    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "service_provided")
    assert referral.outcome_note == (note if kept else "")
    assert "Halima" not in stored_referral_texts(referral)
    event = referral.events.last()
    assert event is not None and event.data["erased"] and not event.data["withdrawn"]
    # Nothing its members see changed but the history: nobody is disturbed.
    assert Notification.objects.count() == notified


def test_a_declined_referral_keeps_its_reason(cast, partner_installation):
    referral = receive(cast, partner_installation)
    decline_referral(referral, reason="no_capacity", by=cast.partner_caseworker)

    erasure(partner_installation, cast)

    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.shared) == (
        "declined",
        "no_capacity",
        {},
    )


def test_the_receivers_answer_still_waiting_to_leave_loses_its_note(cast, partner_installation):
    referral = receive(cast, partner_installation)
    decline_referral(
        referral,
        reason="other",
        note="Halima's aunt in Malindi can take her in.",
        by=cast.partner_caseworker,
    )
    [answer] = partner_installation.sent("referral.answered")
    assert answer.body is not None and "Halima" in answer.body["note"]

    erasure(partner_installation, cast)

    answer.refresh_from_db()
    assert answer.body is not None
    assert (answer.body["status"], answer.body["reason"]) == ("declined", "other")
    assert "Halima" not in answer.body["note"] and answer.body["note"].startswith("Not kept")
    assert answer.status == "queued"


def test_the_same_message_again_changes_nothing(cast, partner_installation):
    referral = receive(cast, partner_installation)
    sealed = partner_installation.seal(
        "referral.erased", {"referral": SENDER_CODE}, to=cast.partner
    )
    first = partner_installation.installation.post(sealed)
    referral.refresh_from_db()
    state = (referral.status, referral.version, referral.closed_at)
    counts = (referral.events.count(), Notification.objects.count(), ChangeRecord.objects.count())

    again = partner_installation.installation.post(sealed)
    other = erasure(partner_installation, cast, message_id=uuid.uuid4())

    assert first.status_code == again.status_code == other.status_code == 200
    assert again.json() == first.json()
    assert InboundMessage.objects.get(message_id=sealed.header.message_id).duplicates == 1
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.closed_at) == state
    assert (
        referral.events.count(),
        Notification.objects.count(),
        ChangeRecord.objects.count(),
    ) == counts
    link = ExchangedReferral.objects.get(referral=referral)
    assert link.erasure_message_id == sealed.header.message_id


def test_a_withdrawal_arriving_after_the_erasure_changes_nothing(cast, partner_installation):
    referral = receive(cast, partner_installation)
    erasure(partner_installation, cast)
    referral.refresh_from_db()
    version = referral.version

    response = partner_installation.post(
        "referral.withdrawn", {"referral": SENDER_CODE}, to=cast.partner
    )

    assert response.status_code == 200
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("withdrawn", version)
