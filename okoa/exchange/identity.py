"""This installation's identity in the exchange, and the partner cards that publish identities.

An identity is an installation id and two private keys: Ed25519 (signs what this installation
sends) and X25519 (opens what is sealed to it). They come from ``OKOA_EXCHANGE_INSTALLATION_ID``,
``OKOA_EXCHANGE_SIGNING_KEY`` and ``OKOA_EXCHANGE_ENCRYPTION_KEY`` (or their ``_FILE`` variants),
made by ``manage.py exchange_keys``; in development a missing identity is generated once into
``var/`` (never in production). Private keys never reach the database.

A partner card is the public half, as JSON, for the other installation's site administrator:
installation id, name, base URL and the two public keys, with a fingerprint to compare over the
phone before trusting it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

CARD_FORMAT = "okoa-partner-card-1"
INSTALLATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
KEY_BYTES = 32
_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw


class ExchangeNotConfigured(ImproperlyConfigured):
    """This installation has no exchange identity (production without the settings)."""


def b64encode(data: bytes) -> str:
    """URL-safe base64 without padding: how keys, signatures and ciphertexts travel."""
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64decode(text: str) -> bytes:
    """Decode :func:`b64encode`'s output (padding optional); ValueError for anything else."""
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]*={0,2}", text):
        raise ValueError("not URL-safe base64")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError) as error:
        raise ValueError("not URL-safe base64") from error


def public_bytes(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(_RAW, _RAW_PUBLIC)


def signing_public_key(text: str) -> Ed25519PublicKey:
    """Read a public signing key (base64 of 32 bytes); ValueError if it is not one."""
    raw = b64decode(text)
    if len(raw) != KEY_BYTES:
        raise ValueError("a public signing key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def encryption_public_key(text: str) -> X25519PublicKey:
    """Read a public encryption key (base64 of 32 bytes); ValueError if it is not one."""
    raw = b64decode(text)
    if len(raw) != KEY_BYTES:
        raise ValueError("a public encryption key is 32 bytes")
    return X25519PublicKey.from_public_bytes(raw)


def fingerprint(signing_key: str, encryption_key: str) -> str:
    """A short digest of both public keys, in groups of four, to compare by voice or on paper."""
    digest = hashlib.sha256(
        b"okoa-exchange-card:" + b64decode(signing_key) + b64decode(encryption_key)
    ).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


@dataclass(frozen=True)
class Identity:
    """This installation: its id, its private keys and where partners reach it."""

    installation_id: str
    signing_key: Ed25519PrivateKey
    encryption_key: X25519PrivateKey
    base_url: str

    @property
    def signing_public_key(self) -> str:
        return b64encode(public_bytes(self.signing_key.public_key()))

    @property
    def encryption_public_key(self) -> str:
        return b64encode(public_bytes(self.encryption_key.public_key()))

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public_key, self.encryption_public_key)

    def card(self, *, name: str) -> dict[str, str]:
        """The partner card: everything a partner needs to register this installation."""
        return {
            "format": CARD_FORMAT,
            "installation_id": self.installation_id,
            "name": name,
            "base_url": self.base_url,
            "signing_key": self.signing_public_key,
            "encryption_key": self.encryption_public_key,
        }


def new_identity_values() -> dict[str, str]:
    """Make a fresh installation id and key pair texts (for the environment or the dev file)."""
    signing = Ed25519PrivateKey.generate()
    encryption = X25519PrivateKey.generate()
    none = serialization.NoEncryption()
    return {
        "installation_id": str(uuid.uuid4()),
        "signing_key": b64encode(signing.private_bytes(_RAW, _RAW_PRIVATE, none)),
        "encryption_key": b64encode(encryption.private_bytes(_RAW, _RAW_PRIVATE, none)),
    }


def _development_values(path: Path) -> dict[str, str]:
    """Load, or create once, the development identity under var/ (never in production)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive create with mode 0600 from the start: two processes must not make two.
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                json.dump(new_identity_values(), handle)
    return json.loads(path.read_text())


def build_identity(
    installation_id: str | None,
    signing_text: str | None,
    encryption_text: str | None,
    base_url: str,
) -> Identity:
    """Make an identity from its texts; ImproperlyConfigured names what is wrong."""
    if not installation_id or not INSTALLATION_ID.match(installation_id):
        raise ImproperlyConfigured(
            "OKOA_EXCHANGE_INSTALLATION_ID must be 3 to 64 letters, digits, '.', '_' or '-'."
        )
    keys = []
    for name, text in (
        ("OKOA_EXCHANGE_SIGNING_KEY", signing_text),
        ("OKOA_EXCHANGE_ENCRYPTION_KEY", encryption_text),
    ):
        try:
            raw = b64decode((text or "").strip())
        except ValueError:
            raw = b""
        if len(raw) != KEY_BYTES:
            raise ImproperlyConfigured(f"{name} must be 32 bytes, URL-safe base64 encoded.")
        keys.append(raw)
    return Identity(
        installation_id=installation_id,
        signing_key=Ed25519PrivateKey.from_private_bytes(keys[0]),
        encryption_key=X25519PrivateKey.from_private_bytes(keys[1]),
        base_url=base_url,
    )


_identities: dict[tuple[Any, ...], Identity] = {}


def this_installation() -> Identity:
    """This installation's identity; ExchangeNotConfigured in production without one."""
    configured = (
        settings.OKOA_EXCHANGE_INSTALLATION_ID,
        settings.OKOA_EXCHANGE_SIGNING_KEY,
        settings.OKOA_EXCHANGE_ENCRYPTION_KEY,
        settings.OKOA_EXCHANGE_BASE_URL or "",
    )
    cache_key = (*configured, str(settings.OKOA_EXCHANGE_DEV_IDENTITY_FILE))
    if cache_key in _identities:
        return _identities[cache_key]
    installation_id, signing_text, encryption_text, base_url = configured
    if not (installation_id or signing_text or encryption_text):
        if settings.PRODUCTION:
            raise ExchangeNotConfigured(
                "This installation has no exchange identity: set OKOA_EXCHANGE_INSTALLATION_ID, "
                "OKOA_EXCHANGE_SIGNING_KEY and OKOA_EXCHANGE_ENCRYPTION_KEY (manage.py "
                "exchange_keys makes them)."
            )
        values = _development_values(Path(settings.OKOA_EXCHANGE_DEV_IDENTITY_FILE))
        installation_id = values["installation_id"]
        signing_text, encryption_text = values["signing_key"], values["encryption_key"]
    identity = build_identity(installation_id, signing_text, encryption_text, base_url)
    _identities[cache_key] = identity
    return identity


@dataclass(frozen=True)
class PartnerCard:
    """A partner's card, checked: its keys parse and its address is usable."""

    installation_id: str
    name: str
    base_url: str
    signing_key: str
    encryption_key: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_key, self.encryption_key)


def check_base_url(base_url: str) -> str:
    """Return ``base_url`` if a partner may be reached there; ValidationError otherwise.

    Production requires https (TLS verified): envelopes are sealed and signed, but which
    organisations exchange messages, and when, is for nobody on the way to see.
    """
    parts = urlsplit(base_url)
    allowed = ("https",) if settings.PRODUCTION else ("https", "http")
    if parts.scheme not in allowed or not parts.hostname or parts.query or parts.fragment:
        raise ValidationError(
            {"base_url": _("The address must be an https:// address without query or fragment.")}
        )
    return base_url.rstrip("/")


def parse_card(text: str, *, name: str = "") -> PartnerCard:
    """Read a partner card; ValidationError with one message per wrong field."""
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        raise ValidationError(_("This is not an Okoa partner card (format %s).") % CARD_FORMAT)
    errors: dict[str, str] = {}
    values = {
        field: data.get(field)
        for field in ("installation_id", "name", "base_url", "signing_key", "encryption_key")
    }
    for field, value in values.items():
        if not isinstance(value, str):
            values[field] = ""
    chosen_name = (name or values["name"] or "").strip()
    if not INSTALLATION_ID.match(values["installation_id"] or ""):
        errors["installation_id"] = _("The installation id is missing or not valid.")
    if not chosen_name or len(chosen_name) > 200:
        errors["name"] = _("Give the partner a name of at most 200 characters.")
    try:
        base_url = check_base_url(values["base_url"] or "")
    except ValidationError as error:
        errors["base_url"] = error.message_dict["base_url"][0]
        base_url = ""
    for field, parse in (
        ("signing_key", signing_public_key),
        ("encryption_key", encryption_public_key),
    ):
        try:
            parse(values[field] or "")
        except ValueError:
            errors[field] = _("This is not a public key of 32 bytes in URL-safe base64.")
    if errors:
        raise ValidationError(errors)
    return PartnerCard(
        installation_id=values["installation_id"] or "",
        name=chosen_name,
        base_url=base_url,
        signing_key=values["signing_key"] or "",
        encryption_key=values["encryption_key"] or "",
    )
