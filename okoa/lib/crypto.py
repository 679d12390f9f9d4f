"""Authenticated encryption and keyed blind indexes for personal data at rest.

Ciphertexts are AES-256-GCM under a key ring: every value names the key that sealed it, the first
key of the ring seals new values, and older keys stay readable until ``rotate_keys`` has moved
everything forward. The associated data binds each value to its field
(``people.Person.given_name``), so a ciphertext copied into another column does not decrypt.

Blind indexes are truncated HMAC-SHA256 values under a separate key, derived per organisation,
so equal values are findable inside one organisation without decrypting and cannot be linked
across organisations by comparing tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT = "okoa1"
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A stored value does not decrypt: wrong key, unknown key, or tampered data."""


@dataclass(frozen=True)
class KeyRing:
    """Encryption keys by id (the first is primary) and the blind-index key."""

    keys: dict[str, bytes]
    primary_key_id: str
    index_key: bytes
    # Set only while the blind indexes are rebuilt under a new key (``rotate_keys``): searches
    # then look up tokens under both keys, so nobody goes missing half-way through.
    previous_index_key: bytes | None = None
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.primary_key_id not in self.keys:
            raise ImproperlyConfigured("The primary encryption key is not in the key ring.")
        for key_id, key in self.keys.items():
            if len(key) != KEY_BYTES:
                raise ImproperlyConfigured(
                    f"Encryption key {key_id!r} must be {KEY_BYTES} bytes (base64 encoded)."
                )
            self._ciphers[key_id] = AESGCM(key)
        for index_key in (self.index_key, self.previous_index_key):
            if index_key is not None and len(index_key) < KEY_BYTES:
                raise ImproperlyConfigured(
                    f"A blind-index key must be at least {KEY_BYTES} bytes (base64 encoded)."
                )

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Seal ``plaintext`` under the primary key, bound to ``context``."""
        key_id = self.primary_key_id
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[key_id].encrypt(
            nonce, plaintext.encode("utf-8"), _associated_data(key_id, context)
        )
        return f"{FORMAT}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str, *, context: str) -> str:
        """Open a value sealed by :meth:`encrypt`; raise DecryptionError if it does not open."""
        key_id, raw = self._split(token)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise DecryptionError(
                f"A {context} value is sealed with key {key_id!r}, which is not configured."
            )
        try:
            plaintext = cipher.decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(key_id, context)
            )
        except InvalidTag as error:
            raise DecryptionError(
                f"A {context} value does not decrypt with key {key_id!r}: "
                "the key is wrong or the data was tampered with."
            ) from error
        return plaintext.decode("utf-8")

    def key_id_of(self, token: str) -> str:
        """Return the id of the key that sealed ``token``."""
        return self._split(token)[0]

    def _split(self, token: str) -> tuple[str, bytes]:
        try:
            prefix, key_id, body = token.split(":", 2)
            if prefix != FORMAT:
                raise ValueError(prefix)
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
        except (ValueError, binascii.Error, UnicodeEncodeError) as error:
            raise DecryptionError("A stored value is not an Okoa ciphertext.") from error
        if len(raw) < NONCE_BYTES + 16:
            raise DecryptionError("A stored value is truncated.")
        return key_id, raw

    def index_key_for(self, scope: str) -> bytes:
        """Derive the blind-index key of one scope (an organisation's code)."""
        return _index_key_for(self.index_key, scope)

    def index_keys_for(self, scope: str) -> list[bytes]:
        """Return the blind-index keys a search in ``scope`` must use (two during rotation)."""
        keys = [self.index_key_for(scope)]
        if self.previous_index_key is not None:
            keys.append(_index_key_for(self.previous_index_key, scope))
        return keys

    def blind_index(self, value: str, *, scope: str) -> int:
        """Return the keyed 64-bit index of ``value`` within ``scope``."""
        return blind_index_with(self.index_key_for(scope), value)


@cache
def _index_key_for(index_key: bytes, scope: str) -> bytes:
    return hmac.digest(index_key, b"okoa-blind-index:" + scope.encode("utf-8"), "sha256")


def blind_index_with(scope_key: bytes, value: str) -> int:
    """Return the signed 64-bit integer of HMAC-SHA256(scope_key, value), for a BigIntegerField."""
    digest = hmac.digest(scope_key, value.encode("utf-8"), "sha256")
    return int.from_bytes(digest[:8], "big", signed=True)


def _associated_data(key_id: str, context: str) -> bytes:
    return f"{FORMAT}:{key_id}:{context}".encode()


def _decode_key(name: str, text: str) -> bytes:
    # Accept standard and URL-safe alphabets; refuse anything else instead of skipping it.
    cleaned = text.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        padded = cleaned.encode("ascii") + b"=" * (-len(cleaned) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True)
    except (ValueError, binascii.Error) as error:
        raise ImproperlyConfigured(f"{name} is not valid base64.") from error


def parse_encryption_keys(text: str) -> tuple[dict[str, bytes], str]:
    """Parse ``"id1:base64,id0:base64"``; the first key is the primary one."""
    keys: dict[str, bytes] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key_id, separator, encoded = item.strip().partition(":")
        if not separator or not key_id.isalnum():
            raise ImproperlyConfigured(
                "OKOA_ENCRYPTION_KEYS must look like 'k2:BASE64,k1:BASE64' (alphanumeric ids)."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"Encryption key id {key_id!r} appears twice.")
        keys[key_id] = _decode_key(f"Encryption key {key_id!r}", encoded)
    if not keys:
        raise ImproperlyConfigured("OKOA_ENCRYPTION_KEYS holds no key.")
    return keys, next(iter(keys))


def new_key_text() -> str:
    """Return a fresh random 256-bit key, base64 encoded."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _development_keys(path: Path) -> tuple[str, str]:
    """Load, or create once, the development keys under var/ (never used in production)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"encryption_keys": f"dev1:{new_key_text()}", "blind_index_key": new_key_text()}
        # Exclusive create: two processes starting together must not write different keys.
        try:
            with path.open("x") as handle:
                json.dump(data, handle)
            path.chmod(0o600)
        except FileExistsError:
            pass
    data = json.loads(path.read_text())
    return data["encryption_keys"], data["blind_index_key"]


def build_key_ring() -> KeyRing:
    """Build the key ring from settings; refuse to start without keys in production."""
    encryption_text = settings.OKOA_ENCRYPTION_KEYS
    index_text = settings.OKOA_BLIND_INDEX_KEY
    if not encryption_text or not index_text:
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "OKOA_ENCRYPTION_KEYS and OKOA_BLIND_INDEX_KEY (or their _FILE variants) are "
                "required in production: personal data cannot be stored without them."
            )
        dev_encryption, dev_index = _development_keys(Path(settings.OKOA_DEV_KEY_FILE))
        encryption_text = encryption_text or dev_encryption
        index_text = index_text or dev_index
    keys, primary = parse_encryption_keys(encryption_text)
    previous_text = getattr(settings, "OKOA_PREVIOUS_BLIND_INDEX_KEY", None)
    return KeyRing(
        keys=keys,
        primary_key_id=primary,
        index_key=_decode_key("OKOA_BLIND_INDEX_KEY", index_text),
        previous_index_key=(
            _decode_key("OKOA_PREVIOUS_BLIND_INDEX_KEY", previous_text) if previous_text else None
        ),
    )


_key_ring: KeyRing | None = None


def key_ring() -> KeyRing:
    """Return the process-wide key ring, built on first use."""
    global _key_ring
    if _key_ring is None:
        _key_ring = build_key_ring()
    return _key_ring


def reset_key_ring() -> None:
    """Forget the cached key ring (after settings change, in tests and key rotation)."""
    global _key_ring
    _key_ring = None
    _index_key_for.cache_clear()


def fingerprint(key: bytes) -> str:
    """Return a short, non-reversible fingerprint of a key for logs and the key check table."""
    return hashlib.sha256(b"okoa-key-fingerprint:" + key).hexdigest()[:16]
