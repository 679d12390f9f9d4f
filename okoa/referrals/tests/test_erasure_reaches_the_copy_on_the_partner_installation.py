"""End to end through the real outbox and inbox: a referral leaves this installation (A) for the
partner's inbox on a real HTTP server on 127.0.0.1, whose opened content is then posted back to
this installation as the partner's (B, a local organisation) so that both ends run here.
Erasing the survivor at A sends ``referral.erased``; once delivered to B, nothing of the shared
sections is left in any encrypted column, B's referral is no longer open and says so, and B's
organisation was told. A partner that is down gets the message once it is back, exactly once.
"""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.utils import timezone

from okoa.exchange import delivery
from okoa.exchange.models import OutboundMessage, Partner
from okoa.notifications.models import Notification
from okoa.referrals.actions import send_referral
from okoa.referrals.models import ExchangedReferral, Referral
from okoa.retention.actions import erase_person_data
from okoa.vault.rotation import encrypted_columns

SECTIONS = ["basic", "contact", "identity_documents"]
SECRETS = ["Chebet", "Jepkosgei", "700 000 319", "0700000319", "DEMO-7731", "bed in Eldoret"]


@pytest.fixture
def case(make_case):
    return make_case(
        given_name="Chebet",
        family_name="Jepkosgei",
        phone_numbers=["0700 000 319"],
        passport_number="DEMO-7731",
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refer(cast, case, give_consent, world) -> Referral:
    give_consent(case, sections=SECTIONS)
    return send_referral(
        case,
        to_organisation=world.desk,
        by=cast.caseworker,
        service_kind="shelter",
        sections=SECTIONS,
        reason_note="Chebet needs a bed in Eldoret tonight.",
    )


def relay_to_b(world, partner_server, cast, kind: str):
    """Post what the partner's inbox received of ``kind`` back here, as the partner, to B."""
    [(header, body)] = [(h, b) for h, b in partner_server.received if h.kind == kind]
    return header, world.post(kind, body, to=cast.partner, message_id=header.message_id)


def opened_encrypted_columns() -> str:
    """Every encrypted value in the database, opened with the key ring."""
    tables = set(connection.introspection.table_names())
    opened: list[str] = []
    with connection.cursor() as cursor:
        for model, fields in encrypted_columns():
            if model._meta.db_table not in tables:
                continue
            for field in fields:
                cursor.execute(
                    f"SELECT {connection.ops.quote_name(field.column or field.name)} "
                    f"FROM {connection.ops.quote_name(model._meta.db_table)}"
                )
                opened.extend(
                    repr(field.from_db_value(value, None, connection))  # type: ignore[attr-defined]
                    for (value,) in cursor.fetchall()
                    if value
                )
    return "\n".join(opened)


def test_erasure_at_a_wipes_the_copy_at_b(
    client, cast, case, give_consent, partner_installation, partner_server
):
    referral_at_a = refer(cast, case, give_consent, partner_installation)
    assert delivery.deliver_due().delivered == 1
    _header, taken_in = relay_to_b(partner_installation, partner_server, cast, "referral.sent")
    assert taken_in.status_code == 200
    at_b = Referral.objects.get(exchanged__direction="received")
    assert at_b.shared["identity_documents"]["passport_number"] == "DEMO-7731"
    assert "Chebet" in opened_encrypted_columns()

    erase_person_data(case.person, by=cast.supervisor, reason_code="request")

    [message] = partner_installation.sent("referral.erased")
    assert message.body == {"referral": referral_at_a.code}
    # A's own copy is gone already; B's is still there until the message arrives.
    assert Referral.objects.get(pk=referral_at_a.pk).shared == {}
    assert Referral.objects.get(pk=at_b.pk).shared != {}
    assert delivery.deliver_due().delivered == 1
    header, answer = relay_to_b(partner_installation, partner_server, cast, "referral.erased")
    assert answer.status_code == 200
    assert header.message_id == message.message_id
    assert partner_server.received[-1][1] == {"referral": referral_at_a.code}

    stored = opened_encrypted_columns()
    for secret in SECRETS:
        assert secret not in stored
    at_b.refresh_from_db()
    assert (at_b.status, at_b.shared, at_b.reason_note) == ("withdrawn", {}, "")
    assert Notification.objects.filter(
        organisation=cast.partner, event="referral_withdrawn", reference=at_b.code
    ).exists()
    client.force_login(cast.partner_caseworker)
    page = client.get(f"/referrals/{at_b.code}/").content.decode()
    assert "The sending organisation erased the survivor's details" in page
    assert "Chebet" not in page
    # A's page says the partner was told, and that the message arrived.
    client.force_login(cast.caseworker)
    page = client.get(f"/referrals/{referral_at_a.code}/").content.decode()
    assert "the partner installation was told to erase its copy: delivered" in page


def test_a_partner_that_is_down_gets_the_erasure_once_it_is_back(
    cast, case, give_consent, partner_installation, partner_server
):
    referral = refer(cast, case, give_consent, partner_installation)
    assert delivery.deliver_due().delivered == 1
    partner = partner_installation.partner
    Partner.objects.filter(pk=partner.pk).update(base_url=f"http://127.0.0.1:{free_port()}")

    erase_person_data(case.person, by=cast.supervisor, reason_code="request")
    summary = delivery.deliver_due()

    [message] = partner_installation.sent("referral.erased")
    assert (summary.delivered, summary.failed) == (0, 1)
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.body == {"referral": referral.code}  # still queued, with its body
    assert message.last_error.startswith("unreachable")

    Partner.objects.filter(pk=partner.pk).update(base_url=partner_server.url)
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver_due().delivered == 1
    assert delivery.deliver_due().delivered == 0

    message.refresh_from_db()
    assert (message.status, message.body) == ("delivered", None)
    erasures = [
        body for header, body in partner_server.received if header.kind == "referral.erased"
    ]
    assert erasures == [{"referral": referral.code}]
    assert ExchangedReferral.objects.get(referral=referral).erasure_message_id == message.message_id
