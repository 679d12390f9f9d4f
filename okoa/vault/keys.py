"""Verify that the configured keys are the keys the database was written with.

``verify_key_ring`` runs at start-up (wsgi, asgi, ``check --database``) and, once per process,
before the first encrypted write, so a wrong key can never seal data nobody can read.
"""

from __future__ import annotations

import contextlib
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction

from okoa.lib import crypto

PROBE_TEXT = "okoa key check"
PROBE_CONTEXT = "vault.KeyCheck.sealed_probe"
INDEX_PROBE_SCOPE = "okoa-key-check"

_verified = False
_lock = threading.Lock()


class KeyMismatch(ImproperlyConfigured):
    """The configured keys do not open what the database holds."""


def verify_key_ring() -> None:
    """Check every key-check row against the key ring; seal a row for a new primary key."""
    from okoa.vault.models import KeyCheck

    ring = crypto.key_ring()
    index_probe = ring.blind_index(PROBE_TEXT, scope=INDEX_PROBE_SCOPE)
    accepted_index_probes = {index_probe}
    if ring.previous_index_key is not None:
        # A blind-index rotation is under way: the database may still hold the old key's probe.
        accepted_index_probes.add(previous_index_probe(ring))
    with transaction.atomic():
        checks = list(KeyCheck.objects.all())
        for check in checks:
            if check.retired_at is not None:
                continue
            if check.key_id not in ring.keys:
                raise KeyMismatch(
                    f"Stored data is sealed with encryption key {check.key_id!r}, which is not in "
                    "OKOA_ENCRYPTION_KEYS. Add it back (it may stay second in the list)."
                )
            try:
                ring.decrypt(check.sealed_probe, context=PROBE_CONTEXT)
            except crypto.DecryptionError as error:
                raise KeyMismatch(
                    f"Encryption key {check.key_id!r} is not the key this database was written "
                    "with. Okoa refuses to start rather than write data that cannot be read."
                ) from error
            if check.index_probe not in accepted_index_probes:
                raise KeyMismatch(
                    "OKOA_BLIND_INDEX_KEY is not the blind-index key this database was written "
                    "with: searches would silently find nothing. Restore the right key."
                )
        if not any(check.key_id == ring.primary_key_id for check in checks):
            KeyCheck.objects.create(
                key_id=ring.primary_key_id,
                sealed_probe=ring.encrypt(PROBE_TEXT, context=PROBE_CONTEXT),
                index_probe=index_probe,
            )


def previous_index_probe(ring: crypto.KeyRing) -> int:
    """Return the index probe under the previous blind-index key (during rotation)."""
    assert ring.previous_index_key is not None
    scope_key = ring.index_keys_for(INDEX_PROBE_SCOPE)[1]
    return crypto.blind_index_with(scope_key, PROBE_TEXT)


def ensure_key_ring_verified() -> None:
    """Verify the key ring once per process (called before the first encrypted write)."""
    global _verified
    if _verified:
        return
    with _lock:
        if not _verified:
            verify_key_ring()
            _verified = True


def forget_verification() -> None:
    """Make the next encrypted write verify the key ring again (tests, key rotation)."""
    global _verified
    _verified = False


def verify_at_start_up() -> None:
    """Verify keys for a serving process; a database without tables yet is left alone."""
    # A database that is not migrated yet is left alone: `migrate` runs the database check.
    with contextlib.suppress(DatabaseError):
        ensure_key_ring_verified()
