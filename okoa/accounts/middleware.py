"""Request middleware for accounts: the membership, no caching, session timeouts, 2FA enrolment.

Order in settings.MIDDLEWARE matters: ``SessionTimeoutMiddleware`` and ``TwoFactorMiddleware``
come after django-otp's OTPMiddleware (which tells whether the session passed a second factor)
and after MessageMiddleware (they leave a message for the sign-in page).

Sessions end:

- after ``OKOA_IDLE_TIMEOUT_SECONDS`` without a request (the last request's time is kept in the
  session, rewritten at most once a minute so that reads do not all become writes);
- ``OKOA_ABSOLUTE_SESSION_SECONDS`` after signing in, however busy;
- when the password changes (Django's session auth hash; the changing session is kept);
- on sign-out.

A cookie naming a session that does not exist (expired, ended or forged) is logged and treated
as no session at all: the visitor is anonymous.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from okoa.accounts.access import (
    SESSION_KEY,
    client_address,
    get_membership_for_session,
    has_two_factor,
    is_verified,
    two_factor_required_for,
)

security_log = logging.getLogger("okoa.security")

SIGNED_IN_AT = "okoa_signed_in_at"
LAST_SEEN_AT = "okoa_last_seen_at"
# Rewrite the last-seen time at most this often (seconds).
LAST_SEEN_RESOLUTION = 60

# What a user who must enrol in two-step verification may reach before enrolling.
ENROLMENT_URL_NAMES = frozenset({"accounts:two_factor_setup", "accounts:logout", "set_language"})


def start_session_clock(request: HttpRequest) -> None:
    """Note the sign-in time in the session: both timeouts count from here."""
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def start_session_clock_on_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Receive ``user_logged_in``: every ``django.contrib.auth.login`` starts the clock.

    A signal, not a call from Okoa's sign-in view, so that no way of signing in (Okoa's two
    steps, a test's force_login, whatever comes later) leaves a session without a clock.
    """
    if request is not None and hasattr(request, "session"):
        start_session_clock(request)


def to_sign_in(request: HttpRequest) -> HttpResponse:
    """Send the browser to the sign-in page, coming back here afterwards (GET only)."""
    if request.headers.get("HX-Request"):
        # htmx would follow a redirect and swap the sign-in page into a fragment.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
        return response
    if request.method == "GET":
        return redirect_to_login(request.get_full_path())
    return redirect(settings.LOGIN_URL)


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


class SessionTimeoutMiddleware:
    """Sign out sessions idle too long or signed in too long ago (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = self.expired(request)
            if reason is not None:
                code = getattr(request.user, "code", "")
                logout(request)
                security_log.info(
                    "session ended: %s timeout user=%s address=%s",
                    reason,
                    code,
                    client_address(request),
                )
                if reason == "idle":
                    messages.info(
                        request,
                        _("You were signed out after a time without activity. Please sign in."),
                    )
                else:
                    messages.info(
                        request,
                        _(
                            "You were signed out because you signed in a long time ago. Please "
                            "sign in again."
                        ),
                    )
                return to_sign_in(request)
        elif (
            request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            and request.session.session_key is None
        ):
            # SessionMiddleware deletes the cookie in this response, so this is logged once.
            security_log.info(
                "unknown or expired session cookie refused address=%s", client_address(request)
            )
        return self.get_response(request)

    @staticmethod
    def expired(request: HttpRequest) -> str | None:
        """Return "idle" or "absolute" when the session has timed out, else note this request."""
        session = request.session
        now = int(timezone.now().timestamp())
        last_seen = session.get(LAST_SEEN_AT)
        signed_in_at = session.get(SIGNED_IN_AT)
        if not isinstance(last_seen, int) or not isinstance(signed_in_at, int):
            # A session from before these timeouts existed: its clock starts now.
            start_session_clock(request)
            return None
        if now - last_seen > settings.OKOA_IDLE_TIMEOUT_SECONDS:
            return "idle"
        if now - signed_in_at > settings.OKOA_ABSOLUTE_SESSION_SECONDS:
            return "absolute"
        if now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_AT] = now
        return None


class TwoFactorMiddleware:
    """Keep users who must use two-step verification to it (``two_factor_required_for``).

    A user who must and has no authenticator yet reaches only the enrolment page, sign-out and
    the language switch. A session signed in without the second factor by a user who has one
    (for example signed in before the rule applied to them) is ended.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OKOA_REQUIRE_TWO_FACTOR
            and user.is_authenticated
            and not is_verified(request)
            and two_factor_required_for(user)
        ):
            if has_two_factor(user):
                code = getattr(user, "code", "")
                logout(request)
                security_log.warning(
                    "session without a second factor ended user=%s address=%s",
                    code,
                    client_address(request),
                )
                messages.info(request, _("Please sign in with your verification code."))
                return to_sign_in(request)
            if not self.allowed_while_enrolling(request):
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)

    @staticmethod
    def allowed_while_enrolling(request: HttpRequest) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in ENROLMENT_URL_NAMES
