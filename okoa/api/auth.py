"""Personal API tokens: the only way for a member to authenticate to the API (the exchange inbox
takes no token: partner installations sign what they post).

There is no session authentication on the API, so a browser's cookies grant nothing here and
cross-site request forgery has nothing to ride on.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from okoa.accounts.access import get_membership_for_api_token
from okoa.accounts.models import Membership

# Secrets are "okoa_" and 43 URL-safe characters; anything much longer is not a token, and
# is refused before it is hashed.
MAX_SECRET_LENGTH = 200


class ApiTokenAuth(HttpBearer):
    """Resolve ``Authorization: Bearer <secret>`` to the token's active membership."""

    def __call__(self, request: HttpRequest) -> Membership | None:
        # Replaces HttpBearer.__call__, which logs the whole header (the secret) in DEBUG when
        # the scheme is not "Bearer".
        scheme, _space, secret = request.headers.get(self.header, "").partition(" ")
        secret = secret.strip()
        if scheme.lower() != "bearer" or not secret or len(secret) > MAX_SECRET_LENGTH:
            return None
        return self.authenticate(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        return get_membership_for_api_token(token)


def membership_of(request: HttpRequest) -> Membership:
    """Return the membership the request acts through (set by ``ApiTokenAuth``)."""
    return request.auth  # type: ignore[attr-defined]
