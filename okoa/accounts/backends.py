"""The authentication backend: Django's ModelBackend, loading a session's user with their
memberships in one query.

Every signed-in request reads the user (``django.contrib.auth.get_user``) and then the
membership it acts through (``MembershipMiddleware``): two queries on every page. ``get_user``
reads both at once, the user's active memberships in active organisations with the user and the
organisation joined, and leaves the list on the user for ``access.active_memberships_for_user``.
Nothing is kept between requests: each request reads them again, so a deactivated user, a
removed or deactivated membership and a deactivated organisation count from the next request,
as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from okoa.accounts.access import LOADED_MEMBERSHIPS, active_memberships_of
from okoa.accounts.models import User


class MemberBackend(ModelBackend):
    """ModelBackend whose ``get_user`` reads the user's active memberships in the same query."""

    def get_user(self, user_id: Any) -> User | None:
        memberships = active_memberships_of(user_id, with_user=True)
        if not memberships:
            # No active membership (a site administrator, someone between organisations): the
            # user alone, as ModelBackend reads them.
            user = super().get_user(user_id)
            if isinstance(user, User):
                setattr(user, LOADED_MEMBERSHIPS, [])
            return user
        user = memberships[0].user
        if not self.user_can_authenticate(user):
            return None
        for membership in memberships:
            membership.user = user  # one user object, the request's
        setattr(user, LOADED_MEMBERSHIPS, memberships)
        return user
