from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from okoa.accounts.access import SESSION_KEY, get_membership_for_session


class MembershipMiddleware:
    """Attach ``request.membership``: the organisation and role the user acts in now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: get_membership_for_session(request.user, request.session.get(SESSION_KEY))  # type: ignore[arg-type]
        )
        return self.get_response(request)
