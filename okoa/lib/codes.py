"""Opaque random codes for URLs: never sequential ids, never names."""

import secrets


def new_code() -> str:
    """Return a random 16-character URL-safe code (96 bits)."""
    return secrets.token_urlsafe(12)
