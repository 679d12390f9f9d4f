"""The envelope: how one message travels between installations (format ``okoa-exchange-1``).

Contract (docs/exchange.md has the byte-level description):

* The *header* (message id, kind, sender and recipient installations, times, organisations,
  the ephemeral public key and the nonce) travels as the exact bytes of a JSON document, in
  base64: nothing is re-serialised before it is checked, so there is no canonical form to get
  wrong.
* The *body* (a JSON object) is sealed for the recipient alone: an ephemeral X25519 key agrees
  a secret with the recipient's public key; HKDF-SHA256 derives a one-message AES-256 key from
  it; AES-256-GCM seals the body with the header bytes as associated data, so the body cannot
  be moved under another header.
* The sender's Ed25519 key signs the header bytes and the ciphertext together: a changed byte
  anywhere, another sender or another recipient fails the check.
* Each delivery attempt seals the message again with a new ``sent_at`` (the receiver refuses
  envelopes sent outside its clock window), a new ephemeral key and a new nonce; the message id
  stays, which is what makes delivery idempotent.
* The receiver answers an accepted message with an acknowledgement signed by its own key, over
  the message id and both installation ids: a forged "accepted" never marks a message
  delivered.

This module does no I/O and knows no models: it seals, opens and checks bytes.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from okoa.exchange.identity import INSTALLATION_ID, b64decode, b64encode, public_bytes

FORMAT = "okoa-exchange-1"
MAX_ENVELOPE_BYTES = 1024 * 1024
MAX_BODY_BYTES = 512 * 1024
NONCE_BYTES = 12
KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
ORGANISATION_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_SIGNATURE_CONTEXT = FORMAT.encode() + b" envelope\x00"
_ACK_CONTEXT = FORMAT.encode() + b" acknowledgement\x00"
_KEY_INFO = FORMAT.encode() + b" body key"
HEADER_FIELDS = frozenset(
    {
        "format",
        "message_id",
        "kind",
        "sender",
        "recipient",
        "created_at",
        "sent_at",
        "from_organisation",
        "to_organisation",
        "in_reply_to",
        "ephemeral_key",
        "nonce",
    }
)


class EnvelopeError(Exception):
    """An envelope cannot be read or fails a check; ``reason`` names which (RefusedMessage)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Header:
    """The clear part of an envelope, read from its exact bytes."""

    message_id: uuid.UUID
    kind: str
    sender: str
    recipient: str
    created_at: datetime.datetime
    sent_at: datetime.datetime
    from_organisation: str
    to_organisation: str
    in_reply_to: uuid.UUID | None
    ephemeral_key: bytes
    nonce: bytes


@dataclass(frozen=True)
class Envelope:
    """An envelope as received: the header's exact bytes, the ciphertext and the signature."""

    header_bytes: bytes
    ciphertext: bytes
    signature: bytes
    header: Header

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "format": FORMAT,
                "header": b64encode(self.header_bytes),
                "ciphertext": b64encode(self.ciphertext),
                "signature": b64encode(self.signature),
            },
            separators=(",", ":"),
        ).encode("ascii")


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _read_time(value: Any) -> datetime.datetime:
    if not isinstance(value, str) or not value.endswith("Z") or len(value) > 40:
        raise ValueError("time")
    moment = datetime.datetime.fromisoformat(value[:-1] + "+00:00")
    return moment


def _signed_bytes(header_bytes: bytes, ciphertext: bytes) -> bytes:
    return _SIGNATURE_CONTEXT + len(header_bytes).to_bytes(4, "big") + header_bytes + ciphertext


def _body_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=_KEY_INFO,
    ).derive(shared)


def encode_body(body: dict[str, Any]) -> bytes:
    """The body's bytes; ValueError if it is not a JSON object or is too large."""
    if not isinstance(body, dict):
        raise ValueError("A message body must be a JSON object.")
    try:
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError("A message body must be plain JSON (no dates, no objects).") from error
    encoded = data.encode("utf-8")
    if len(encoded) > MAX_BODY_BYTES:
        raise ValueError(f"A message body must be at most {MAX_BODY_BYTES} bytes.")
    return encoded


def seal(
    *,
    message_id: uuid.UUID,
    kind: str,
    sender: str,
    recipient: str,
    created_at: datetime.datetime,
    sent_at: datetime.datetime,
    from_organisation: str = "",
    to_organisation: str = "",
    in_reply_to: uuid.UUID | None = None,
    body: dict[str, Any],
    signing_key: Ed25519PrivateKey,
    recipient_key: X25519PublicKey,
) -> Envelope:
    """Seal ``body`` for the holder of ``recipient_key`` and sign the whole with ``signing_key``."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral.public_key())
    nonce = os.urandom(NONCE_BYTES)
    fields = {
        "format": FORMAT,
        "message_id": str(message_id),
        "kind": kind,
        "sender": sender,
        "recipient": recipient,
        "created_at": _timestamp(created_at),
        "sent_at": _timestamp(sent_at),
        "from_organisation": from_organisation,
        "to_organisation": to_organisation,
        "in_reply_to": str(in_reply_to) if in_reply_to else "",
        "ephemeral_key": b64encode(ephemeral_public),
        "nonce": b64encode(nonce),
    }
    header_bytes = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")
    header = parse_header(header_bytes)  # the sender holds itself to what receivers check
    key = _body_key(
        ephemeral.exchange(recipient_key), ephemeral_public, public_bytes(recipient_key)
    )
    ciphertext = AESGCM(key).encrypt(nonce, encode_body(body), header_bytes)
    signature = signing_key.sign(_signed_bytes(header_bytes, ciphertext))
    return Envelope(header_bytes, ciphertext, signature, header)


def parse_header(header_bytes: bytes) -> Header:
    """Read a header's fields; EnvelopeError("malformed") if any is missing or wrong."""
    try:
        fields = json.loads(header_bytes.decode("utf-8"))
        if not isinstance(fields, dict) or set(fields) != HEADER_FIELDS:
            raise ValueError("fields")
        if fields["format"] != FORMAT:
            raise ValueError("format")
        texts = {name: fields[name] for name in HEADER_FIELDS}
        if not all(isinstance(value, str) for value in texts.values()):
            raise ValueError("types")
        if not KIND.match(texts["kind"]) or len(texts["kind"]) > 64:
            raise ValueError("kind")
        for name in ("sender", "recipient"):
            if not INSTALLATION_ID.match(texts[name]):
                raise ValueError(name)
        for name in ("from_organisation", "to_organisation"):
            if texts[name] and not ORGANISATION_CODE.match(texts[name]):
                raise ValueError(name)
        if bool(texts["from_organisation"]) != bool(texts["to_organisation"]):
            raise ValueError("organisations")
        ephemeral_key, nonce = b64decode(texts["ephemeral_key"]), b64decode(texts["nonce"])
        if len(ephemeral_key) != 32 or len(nonce) != NONCE_BYTES:
            raise ValueError("key")
        return Header(
            message_id=uuid.UUID(texts["message_id"]),
            kind=texts["kind"],
            sender=texts["sender"],
            recipient=texts["recipient"],
            created_at=_read_time(texts["created_at"]),
            sent_at=_read_time(texts["sent_at"]),
            from_organisation=texts["from_organisation"],
            to_organisation=texts["to_organisation"],
            in_reply_to=uuid.UUID(texts["in_reply_to"]) if texts["in_reply_to"] else None,
            ephemeral_key=ephemeral_key,
            nonce=nonce,
        )
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise EnvelopeError("malformed") from error


def read(data: bytes) -> Envelope:
    """Read an envelope from the request body; EnvelopeError("malformed") if it is not one.

    Nothing is verified yet: the caller finds the sender's key from ``header.sender`` and calls
    :func:`verify`.
    """
    if len(data) > MAX_ENVELOPE_BYTES:
        raise EnvelopeError("malformed")
    try:
        outer = json.loads(data.decode("utf-8"))
        if not isinstance(outer, dict) or outer.get("format") != FORMAT:
            raise ValueError("format")
        if set(outer) != {"format", "header", "ciphertext", "signature"}:
            raise ValueError("fields")
        header_bytes = b64decode(outer["header"])
        ciphertext = b64decode(outer["ciphertext"])
        signature = b64decode(outer["signature"])
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise EnvelopeError("malformed") from error
    if len(signature) != 64 or len(ciphertext) < 16:
        raise EnvelopeError("malformed")
    return Envelope(header_bytes, ciphertext, signature, parse_header(header_bytes))


def verify(envelope: Envelope, sender_key: Ed25519PublicKey) -> None:
    """Check the sender's signature over header and ciphertext; EnvelopeError if it fails."""
    try:
        sender_key.verify(
            envelope.signature, _signed_bytes(envelope.header_bytes, envelope.ciphertext)
        )
    except InvalidSignature as error:
        raise EnvelopeError("bad_signature") from error


def open_body(envelope: Envelope, recipient_key: X25519PrivateKey) -> dict[str, Any]:
    """Decrypt the body with this installation's key; EnvelopeError if it does not open."""
    header = envelope.header
    try:
        ephemeral = X25519PublicKey.from_public_bytes(header.ephemeral_key)
        key = _body_key(
            recipient_key.exchange(ephemeral),
            header.ephemeral_key,
            public_bytes(recipient_key.public_key()),
        )
        plaintext = AESGCM(key).decrypt(header.nonce, envelope.ciphertext, envelope.header_bytes)
    except (InvalidTag, ValueError) as error:
        raise EnvelopeError("undecryptable") from error
    try:
        body = json.loads(plaintext.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise EnvelopeError("invalid_body") from error
    if not isinstance(body, dict):
        raise EnvelopeError("invalid_body")
    return body


def _ack_bytes(message_id: uuid.UUID, sender: str, recipient: str) -> bytes:
    return _ACK_CONTEXT + f"{message_id}\x00{sender}\x00{recipient}".encode()


def acknowledgement(
    message_id: uuid.UUID, *, sender: str, recipient: str, signing_key: Ed25519PrivateKey
) -> dict[str, str]:
    """The receiver's answer to an accepted message, signed with the receiver's key."""
    signature = signing_key.sign(_ack_bytes(message_id, sender, recipient))
    return {"status": "accepted", "message_id": str(message_id), "signature": b64encode(signature)}


def check_acknowledgement(
    answer: Any, message_id: uuid.UUID, *, sender: str, recipient: str, key: Ed25519PublicKey
) -> bool:
    """Whether ``answer`` is the recipient's signed acknowledgement of ``message_id``."""
    if not isinstance(answer, dict) or answer.get("status") != "accepted":
        return False
    if answer.get("message_id") != str(message_id):
        return False
    try:
        key.verify(
            b64decode(answer.get("signature", "")), _ack_bytes(message_id, sender, recipient)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
