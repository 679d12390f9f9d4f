"""Report PINs: six digits, kept only as a keyed hash.

A PIN is a keyed hash (HMAC-SHA256 under ``SECRET_KEY``, with a random salt per report), not a
password hash. A password hash (PBKDF2, ~0.3 s) would make every report cost a third of a
second of CPU: an intake surge of hundreds of reports a second could not be received. Slowness
would not protect a six-digit PIN anyway: it is the key that does. Without ``SECRET_KEY``, a copy
of the database alone gives no way to test a PIN; online guessing is stopped by the rate limit
per reference on the public status page (``RATE_LIMITS["status_reference"]``).

``SECRET_KEY_FALLBACKS`` keep PINs valid while ``SECRET_KEY`` is rotated. Reports received
before this scheme keep their password hashes, and ``pin_matches`` still checks those.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import constant_time_compare, salted_hmac

PREFIX = "hmac_sha256"
KEY_SALT = "okoa.intake.report-pin"


def _digest(pin: str, salt: str, secret: str | bytes | None = None) -> str:
    return salted_hmac(KEY_SALT, f"{salt}:{pin}", secret=secret, algorithm="sha256").hexdigest()


def hash_pin(pin: str) -> str:
    """Return the stored form of ``pin``: ``hmac_sha256$<salt>$<hex digest>``."""
    salt = secrets.token_hex(8)
    return f"{PREFIX}${salt}${_digest(pin, salt)}"


def pin_matches(pin: str, pin_hash: str) -> bool:
    """Whether ``pin`` is the PIN whose stored form is ``pin_hash`` (in constant time)."""
    if not pin_hash:
        return False
    if not pin_hash.startswith(f"{PREFIX}$"):
        return check_password(pin, pin_hash)  # a report from before keyed PIN hashes
    parts = pin_hash.split("$")
    if len(parts) != 3:
        return False
    _prefix, salt, digest = parts
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Every key is tried (no early return): the time taken does not tell which key matched.
    matches = [constant_time_compare(_digest(pin, salt, key), digest) for key in keys]
    return any(matches)
