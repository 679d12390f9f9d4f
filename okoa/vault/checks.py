"""System checks: keys configured, well formed, and the ones the database was written with."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from okoa.lib import crypto


@checks.register(checks.Tags.security)
def check_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        crypto.build_key_ring()
    except ImproperlyConfigured as error:
        return [checks.Critical(str(error), id="okoa.E001")]
    return []


@checks.register(checks.Tags.database)
def check_keys_match_database(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases:
        return []
    from okoa.vault.keys import KeyMismatch, verify_key_ring

    try:
        verify_key_ring()
    except KeyMismatch as error:
        return [checks.Critical(str(error), id="okoa.E002")]
    except ImproperlyConfigured:
        return []  # reported by check_keys_configured
    except DatabaseError:
        return []  # tables not created yet
    return []
