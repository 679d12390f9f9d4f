"""A ``referral.sent`` message from a partner installation becomes a referral here: without a
case, from the partner organisation's stand-in to the local organisation it names, holding only
the shared sections; the organisation's members are notified and read it like any referral.
The same message again, or the same referral in another message, creates nothing more."""

from __future__ import annotations

import uuid

from okoa.audit.models import AccessRecord
from okoa.exchange.models import InboundMessage
from okoa.notifications.models import Notification
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.referrals.tests.partner_world import referral_body


def test_the_referral_is_created_without_a_case_and_the_receiver_is_notified(
    cast, partner_installation
):
    body = referral_body()
    body["shared"]["narrative"] = {"narrative": "Not a shared section: never kept."}

    response = partner_installation.post("referral.sent", body, to=cast.partner)

    assert response.status_code == 200
    referral = Referral.objects.get()
    assert referral.case is None and referral.sent_by is None and referral.consent is None
    assert (referral.from_organisation, referral.to_organisation) == (
        partner_installation.desk,
        cast.partner,
    )
    assert (referral.status, referral.urgency, referral.service_kind) == (
        "sent",
        "urgent",
        "shelter",
    )
    assert referral.sections == ["basic", "contact"]
    assert set(referral.shared) == {"version", "taken_on", "basic", "contact"}
    assert referral.shared["basic"]["given_name"] == "Halima"
    assert referral.reason_note.startswith("Needs a safe bed tonight")
    assert referral.respond_by > referral.sent_at
    [event] = referral.events.all()
    assert event.status == "sent" and event.by is None
    assert event.organisation == partner_installation.desk
    assert event.data["installation"] == "usalama-secretariat"
    exchanged = ExchangedReferral.objects.get(referral=referral)
    assert (exchanged.direction, exchanged.remote_code) == ("received", "pwaniReferral01")
    assert exchanged.message_id == InboundMessage.objects.get().message_id
    notified = Notification.objects.filter(event="referral_received")
    assert {n.user for n in notified} == {cast.partner_caseworker}
    assert {n.path for n in notified} == {f"/referrals/{referral.code}/"}


def test_the_receivers_member_reads_the_shared_sections_and_the_read_is_logged(
    client, cast, partner_installation
):
    partner_installation.post("referral.sent", referral_body(), to=cast.partner)
    referral = Referral.objects.get()
    client.force_login(cast.partner_caseworker)

    page = client.get(f"/referrals/{referral.code}/").content.decode()

    assert "Halima" in page and "0700 000 177" in page and "Kilifi" in page
    assert "Received from the installation Usalama Coordination Secretariat" in page
    assert AccessRecord.objects.filter(
        user=cast.partner_caseworker, record_kind="referral", record_code=referral.code
    ).exists()
    # Listed with the organisation it came from; the sending side has no members here.
    listed = client.get("/referrals/received/").content.decode()
    assert referral.code in listed and partner_installation.desk.name in listed
    client.force_login(cast.caseworker)
    assert client.get(f"/referrals/{referral.code}/").status_code == 404


def test_the_same_envelope_again_creates_nothing(cast, partner_installation):
    sealed = partner_installation.seal("referral.sent", referral_body(), to=cast.partner)

    first = partner_installation.installation.post(sealed)
    again = partner_installation.installation.post(sealed)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Referral.objects.count() == 1
    assert InboundMessage.objects.get().duplicates == 1
    assert Notification.objects.filter(event="referral_received").count() == 1


def test_the_same_referral_in_another_message_creates_nothing(cast, partner_installation):
    partner_installation.post("referral.sent", referral_body(), to=cast.partner)

    response = partner_installation.post(
        "referral.sent", referral_body(urgency="normal"), to=cast.partner, message_id=uuid.uuid4()
    )

    assert response.status_code == 200
    referral = Referral.objects.get()
    assert referral.urgency == "urgent"
    assert Notification.objects.filter(event="referral_received").count() == 1
    assert InboundMessage.objects.count() == 2


def test_two_referrals_of_the_partner_are_two_referrals_here(cast, partner_installation):
    partner_installation.post("referral.sent", referral_body("pwaniReferral01"), to=cast.partner)
    partner_installation.post("referral.sent", referral_body("pwaniReferral02"), to=cast.ngo)

    assert Referral.objects.count() == 2
    assert set(Referral.objects.values_list("to_organisation", flat=True)) == {
        cast.partner.pk,
        cast.ngo.pk,
    }
