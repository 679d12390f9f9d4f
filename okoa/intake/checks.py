"""System checks: every public channel has an organisation to receive its reports."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.database)
def check_intake_routes(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Warn about public channels without a route: their reports go to a fallback."""
    if not databases:
        return []
    from okoa.intake.models import PUBLIC_CHANNELS, IntakeRoute

    try:
        routed = set(
            IntakeRoute.objects.filter(organisation__is_active=True).values_list(
                "channel", flat=True
            )
        )
    except DatabaseError:
        return []  # tables not created yet
    missing = [channel.value for channel in PUBLIC_CHANNELS if channel.value not in routed]
    if not missing:
        return []
    return [
        checks.Warning(
            f"No active organisation receives reports from: {', '.join(missing)}.",
            hint=(
                "Set an intake route for each public channel in the site admin. Until then "
                "these reports go to the first active CTiP secretariat (else NGO)."
            ),
            id="okoa.W101",
        )
    ]
