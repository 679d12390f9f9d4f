"""An envelope opens only for its recipient, verifies only with its sender's key, and any change
to its header or ciphertext is caught."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest

from okoa.exchange import envelope
from okoa.exchange.envelope import EnvelopeError
from okoa.exchange.identity import b64decode, b64encode
from okoa.exchange.tests.conftest import make_identity

SENDER = make_identity("tumaini-haven")
RECIPIENT = make_identity("pwani-safe-passage")
NOW = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
BODY = {"shared": {"given_name": "Nekesa", "story": "Taken to a farm in Eldoret"}}


def sealed(**changes) -> envelope.Envelope:
    values: dict[str, Any] = {
        "message_id": uuid.UUID("6d9c2a8e-4b1f-4c52-9a34-0f1e2d3c4b5a"),
        "kind": "referrals.referral",
        "sender": SENDER.installation_id,
        "recipient": RECIPIENT.installation_id,
        "created_at": NOW,
        "sent_at": NOW,
        "from_organisation": "tumainiCode0001",
        "to_organisation": "pwaniCode000001",
        "body": BODY,
        "signing_key": SENDER.signing_key,
        "recipient_key": RECIPIENT.encryption_key.public_key(),
    }
    values.update(changes)
    return envelope.seal(**values)


def with_outer(original: envelope.Envelope, **fields) -> bytes:
    outer = json.loads(original.to_json())
    outer.update(fields)
    return json.dumps(outer).encode()


def test_the_recipient_reads_what_the_sender_sealed():
    received = envelope.read(sealed().to_json())
    envelope.verify(received, SENDER.signing_key.public_key())
    assert envelope.open_body(received, RECIPIENT.encryption_key) == BODY
    header = received.header
    assert header.kind == "referrals.referral"
    assert header.sender == "tumaini-haven" and header.recipient == "pwani-safe-passage"
    assert header.sent_at == NOW
    assert (header.from_organisation, header.to_organisation) == (
        "tumainiCode0001",
        "pwaniCode000001",
    )


def test_the_body_travels_encrypted_and_each_sealing_differs():
    first, second = sealed(), sealed()
    for one in (first, second):
        assert b"Nekesa" not in one.to_json() and b"Eldoret" not in one.to_json()
    assert first.ciphertext != second.ciphertext
    assert first.header.ephemeral_key != second.header.ephemeral_key


def test_another_installation_cannot_open_it():
    other = make_identity("someone-else")
    with pytest.raises(EnvelopeError) as refused:
        envelope.open_body(envelope.read(sealed().to_json()), other.encryption_key)
    assert refused.value.reason == "undecryptable"


def test_a_signature_by_another_key_does_not_verify():
    forger = make_identity("forger")
    received = envelope.read(sealed(signing_key=forger.signing_key).to_json())
    with pytest.raises(EnvelopeError) as refused:
        envelope.verify(received, SENDER.signing_key.public_key())
    assert refused.value.reason == "bad_signature"


def test_a_changed_byte_of_the_ciphertext_fails_the_signature():
    original = sealed()
    changed = bytearray(original.ciphertext)
    changed[5] ^= 1
    received = envelope.read(with_outer(original, ciphertext=b64encode(bytes(changed))))
    with pytest.raises(EnvelopeError) as refused:
        envelope.verify(received, SENDER.signing_key.public_key())
    assert refused.value.reason == "bad_signature"


def test_a_changed_header_fails_the_signature():
    original = sealed()
    header = json.loads(original.header_bytes)
    header["to_organisation"] = "otherOrganisat1"
    received = envelope.read(with_outer(original, header=b64encode(json.dumps(header).encode())))
    with pytest.raises(EnvelopeError) as refused:
        envelope.verify(received, SENDER.signing_key.public_key())
    assert refused.value.reason == "bad_signature"


def test_the_body_is_bound_to_its_header_even_under_a_valid_signature():
    # A sender (or a stolen signing key) moving a ciphertext under another header: it is signed
    # again, but the body does not decrypt, because the header is its associated data.
    original = sealed()
    header = json.loads(original.header_bytes)
    header["kind"] = "referrals.answer"
    header_bytes = json.dumps(header).encode()
    signature = SENDER.signing_key.sign(envelope._signed_bytes(header_bytes, original.ciphertext))
    received = envelope.read(
        with_outer(original, header=b64encode(header_bytes), signature=b64encode(signature))
    )
    envelope.verify(received, SENDER.signing_key.public_key())
    with pytest.raises(EnvelopeError) as refused:
        envelope.open_body(received, RECIPIENT.encryption_key)
    assert refused.value.reason == "undecryptable"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"format": "okoa-exchange-0", "header": "", "ciphertext": "", "signature": ""}',
        b'{"format": "okoa-exchange-1", "header": "e30", "ciphertext": "AAAA", "signature": "AA"}',
        b"{" + b'"a":"' + b"x" * envelope.MAX_ENVELOPE_BYTES + b'"}',
    ],
    ids=["empty", "text", "list", "old-format", "empty-header", "too-large"],
)
def test_what_is_not_an_envelope_is_malformed(data):
    with pytest.raises(EnvelopeError) as refused:
        envelope.read(data)
    assert refused.value.reason == "malformed"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "Referral"),
        ("sender", ""),
        ("message_id", "not-a-uuid"),
        ("sent_at", "2025-03-01 09:30"),
        ("extra", "field"),
        ("to_organisation", ""),
    ],
)
def test_a_header_with_a_wrong_field_is_malformed(field, value):
    header = json.loads(sealed().header_bytes)
    header[field] = value
    with pytest.raises(EnvelopeError) as refused:
        envelope.parse_header(json.dumps(header).encode())
    assert refused.value.reason == "malformed"


def test_the_acknowledgement_verifies_only_for_its_message_and_key():
    message_id = uuid.uuid4()
    answer = envelope.acknowledgement(
        message_id,
        sender="tumaini-haven",
        recipient="pwani-safe-passage",
        signing_key=RECIPIENT.signing_key,
    )
    key = RECIPIENT.signing_key.public_key()
    check = envelope.check_acknowledgement
    assert check(
        answer, message_id, sender="tumaini-haven", recipient="pwani-safe-passage", key=key
    )
    assert not check(
        answer, uuid.uuid4(), sender="tumaini-haven", recipient="pwani-safe-passage", key=key
    )
    assert not check(
        answer, message_id, sender="another-one", recipient="pwani-safe-passage", key=key
    )
    assert not check(
        answer,
        message_id,
        sender="tumaini-haven",
        recipient="pwani-safe-passage",
        key=SENDER.signing_key.public_key(),
    )
    unsigned = {"status": "accepted", "message_id": str(message_id), "signature": ""}
    assert not check(
        unsigned, message_id, sender="tumaini-haven", recipient="pwani-safe-passage", key=key
    )


def test_bodies_that_cannot_be_sealed_are_refused_before_sending():
    with pytest.raises(ValueError):
        envelope.encode_body({"when": NOW})
    with pytest.raises(ValueError):
        envelope.encode_body(["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        envelope.encode_body({"text": "x" * (envelope.MAX_BODY_BYTES + 1)})
    assert b64decode(b64encode(b"\x00\xff")) == b"\x00\xff"
