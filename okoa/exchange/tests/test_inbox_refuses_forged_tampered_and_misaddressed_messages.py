"""A forged, tampered, misaddressed, late or unusable message is refused, recorded without its
content, and changes nothing."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.utils import timezone

from okoa.exchange.identity import b64encode
from okoa.exchange.models import InboundMessage, Partner, RefusedMessage
from okoa.exchange.tests.conftest import INBOX_PATHS, make_identity

# The API's inbox and its old address answer alike.
pytestmark = pytest.mark.parametrize("inbox_path", INBOX_PATHS)

SECRET_WORDS = ("Chebet", "Kakamega")
BODY = {"shared": {"given_name": "Chebet", "found_in": "Kakamega"}}


def flip(data: bytes, index: int = 3) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 1
    return bytes(changed)


def outer(sealed, **fields) -> bytes:
    values = json.loads(sealed.to_json())
    values.update(fields)
    return json.dumps(values).encode()


def forged(remote):
    return remote.seal(body=BODY, signing_key=make_identity("forger").signing_key)


def unknown_sender(remote):
    stranger = make_identity("stranger-install")
    return remote.seal(body=BODY, sender=stranger.installation_id, signing_key=stranger.signing_key)


def tampered_ciphertext(remote):
    sealed = remote.seal(body=BODY)
    return outer(sealed, ciphertext=b64encode(flip(sealed.ciphertext)))


def tampered_header(remote):
    sealed = remote.seal(body=BODY)
    header = json.loads(sealed.header_bytes)
    header["kind"] = "tests.other"
    return outer(sealed, header=b64encode(json.dumps(header).encode()))


def misaddressed(remote):
    return remote.seal(body=BODY, recipient="another-installation")


def stale(remote):
    return remote.seal(body=BODY, sent_at=timezone.now() - datetime.timedelta(minutes=11))


def from_the_future(remote):
    return remote.seal(body=BODY, sent_at=timezone.now() + datetime.timedelta(minutes=11))


def sealed_for_someone_else(remote):
    return remote.seal(body=BODY, recipient_key=make_identity("x-y-z").encryption_key.public_key())


def unknown_kind(remote):
    return remote.seal(body=BODY, kind="tests.nobody_handles_this")


def unknown_organisation(remote):
    return remote.seal(body=BODY, from_organisation="notInDirectory", to_organisation="nope1234")


CASES = [
    (lambda remote: b"not an envelope", 400, "malformed", None),
    (unknown_sender, 403, "unknown_partner", None),
    (forged, 403, "bad_signature", None),
    (tampered_ciphertext, 403, "bad_signature", None),
    (tampered_header, 403, "bad_signature", None),
    (misaddressed, 403, "wrong_recipient", "wrong_recipient"),
    (stale, 403, "stale", "stale"),
    (from_the_future, 403, "stale", "stale"),
    (sealed_for_someone_else, 422, "undecryptable", "undecryptable"),
    (unknown_kind, 422, "unknown_kind", "unknown_kind"),
    (unknown_organisation, 422, "unknown_organisation", "unknown_organisation"),
]


@pytest.mark.parametrize(
    ("make", "status", "reason", "told"),
    CASES,
    ids=[case[2] + "-" + case[0].__name__ for case in CASES],
)
def test_the_message_is_refused_recorded_and_changes_nothing(
    remote, recorder, caplog, make, status, reason, told
):
    caplog.set_level(logging.DEBUG)
    response = remote.post(make(remote))
    assert response.status_code == status
    # An unauthenticated sender learns nothing; an authenticated one learns why.
    assert response.json().get("reason") == told
    assert recorder.calls == []
    assert not InboundMessage.objects.exists()
    refusal = RefusedMessage.objects.get()
    assert refusal.reason == reason
    stored = json.dumps(
        [refusal.claimed_sender, refusal.kind, str(refusal.message_id), refusal.address]
    )
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for word in SECRET_WORDS:
        assert word not in stored and word not in logged
    assert f"exchange message refused: {reason}" in logged


def test_an_inactive_partner_is_refused(remote, recorder):
    Partner.objects.filter(pk=remote.partner.pk).update(is_active=False)
    response = remote.post(remote.seal(body=BODY))
    assert response.status_code == 403
    assert recorder.calls == []
    assert RefusedMessage.objects.get().reason == "inactive_partner"


def test_anything_but_json_is_refused_unread(client, remote, recorder):
    response = client.post(remote.inbox_path, {"envelope": remote.seal().to_json().decode()})
    assert response.status_code == 400
    assert response.json() == {"status": "rejected"}
    assert RefusedMessage.objects.get().reason == "malformed"
    assert client.get(remote.inbox_path).status_code == 405


def test_a_claimed_sender_is_stored_and_logged_only_as_plain_short_text(remote, caplog):
    caplog.set_level(logging.WARNING)
    stranger = make_identity("a" * 60 + "-x")
    remote.post(remote.seal(sender=stranger.installation_id, signing_key=stranger.signing_key))
    assert RefusedMessage.objects.get().claimed_sender == ("a" * 60 + "-x")[:64]
    assert all("\n" not in record.getMessage() for record in caplog.records)
