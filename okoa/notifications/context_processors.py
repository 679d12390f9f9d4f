"""The signed-in user's unread notification count, for the navigation of ``base.html``."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from okoa.notifications.access import unread_count_for_user


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """Expose ``unread_notification_count``: one query, only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    # Templates call callables: a cached one costs one query on the first use and none after,
    # and none at all on pages that do not show it.
    count: Callable[[], int] = cache(lambda: unread_count_for_user(user))
    return {"unread_notification_count": count}
