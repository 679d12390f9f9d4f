"""System checks for sign-in security, and the start-up gate that runs Okoa's security checks.

- ``okoa.E003`` (critical): production without required two-step verification
  (``OKOA_REQUIRE_TWO_FACTOR`` off).
- ``okoa.W003``: idle timeout longer than an hour; ``okoa.W004``: sessions allowed to last longer
  than a day; ``okoa.W005``: production sending email through localhost (password reset links
  may go nowhere).

``stop_on_critical_security_problems`` runs every check tagged ``security`` (these and the key
checks of ``okoa.vault``) and refuses to start on a critical one: ``wsgi.py`` and ``asgi.py``
call it, so a server never serves with two-step verification off in production.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MAX_IDLE_SECONDS = 60 * 60
MAX_ABSOLUTE_SECONDS = 24 * 60 * 60


@checks.register(checks.Tags.security)
def check_two_factor_required_in_production(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Production must require two-step verification for staff who see personal data."""
    if getattr(settings, "PRODUCTION", False) and not settings.OKOA_REQUIRE_TWO_FACTOR:
        return [
            checks.Critical(
                "Two-step verification is off (OKOA_REQUIRE_TWO_FACTOR) in production.",
                hint=(
                    "Unset OKOA_REQUIRE_TWO_FACTOR or set it to true: every role that sees "
                    "survivors' or reporters' details, and every site administrator, must sign "
                    "in with a second factor."
                ),
                id="okoa.E003",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_session_timeouts(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn about session timeouts longer than a shared office computer should allow."""
    messages: list[checks.CheckMessage] = []
    if settings.OKOA_IDLE_TIMEOUT_SECONDS > MAX_IDLE_SECONDS:
        messages.append(
            checks.Warning(
                f"OKOA_IDLE_TIMEOUT_SECONDS is {settings.OKOA_IDLE_TIMEOUT_SECONDS}: sessions "
                "left open stay usable for more than an hour.",
                hint="The default is 1800 (30 minutes).",
                id="okoa.W003",
            )
        )
    if settings.OKOA_ABSOLUTE_SESSION_SECONDS > MAX_ABSOLUTE_SECONDS:
        messages.append(
            checks.Warning(
                f"OKOA_ABSOLUTE_SESSION_SECONDS is {settings.OKOA_ABSOLUTE_SESSION_SECONDS}: a "
                "session may last more than a day.",
                hint="The default is 43200 (12 hours).",
                id="okoa.W004",
            )
        )
    return messages


@checks.register(checks.Tags.security)
def check_email_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Warn when production would send password reset links through localhost."""
    if getattr(settings, "PRODUCTION", False) and settings.EMAIL_HOST == "localhost":
        return [
            checks.Warning(
                "EMAIL_HOST is not set: password reset links go to a mail server on localhost.",
                hint="Set EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD(_FILE).",
                id="okoa.W005",
            )
        ]
    return []


def stop_on_critical_security_problems() -> None:
    """Raise ImproperlyConfigured listing every critical security check message, if any."""
    critical = [
        message
        for message in checks.run_checks(tags=[checks.Tags.security])
        if message.level >= checks.CRITICAL
    ]
    if critical:
        raise ImproperlyConfigured(
            "Okoa refuses to start: "
            + "; ".join(f"{message.id}: {message.msg}" for message in critical)
        )
