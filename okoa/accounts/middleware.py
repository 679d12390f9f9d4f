from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
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


class NoStoreMiddleware:
    """Forbid caching of every response to a signed-in user or an API client.

    Such responses may hold personal data: no browser cache, shared computer or proxy may keep
    a copy. Sits right after AuthenticationMiddleware so that ``request.user`` is known.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
