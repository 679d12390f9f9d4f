"""Which membership a request or an API token acts through, and who must prove what to sign in.

Every read of organisation data starts from a membership: the user alone grants nothing.
An inactive membership or organisation counts as no membership.

Sign-in questions are answered here too, without changing anything:

- ``two_factor_required_for(user)``: the one rule for who must use two-step verification.
  When ``OKOA_REQUIRE_TWO_FACTOR`` is on: every user with an active membership whose role sees
  personal data (``VIEW_IDENTITIES`` or ``VIEW_INTAKE``) and every site administrator. Data
  analysts may enrol but are not forced.
- ``sign_in_lock(email_digest, address)``: whether sign-in is refused for now, from the failures
  recorded in ``SignInAttempt`` over the last ``OKOA_SIGN_IN_WINDOW_SECONDS``.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from okoa.accounts.models import (
    ROLE_CAPABILITIES,
    ApiToken,
    AuthenticatorDevice,
    Capability,
    Membership,
    RecoveryCode,
    RecoveryCodeDevice,
    SignInAttempt,
    User,
)

SESSION_KEY = "okoa_membership"

# Capabilities that show who a person is: roles carrying one must use two-step verification.
PERSONAL_DATA_CAPABILITIES = frozenset({Capability.VIEW_IDENTITIES, Capability.VIEW_INTAKE})

# Password reset emails one address may ask for within the sign-in window.
MAX_RESET_REQUESTS_PER_EMAIL = 3


# The attribute where ``backends.MemberBackend`` leaves a session user's active memberships, read
# with the user at the start of the request.
LOADED_MEMBERSHIPS = "_okoa_active_memberships"


def active_memberships_of(user_id: int, *, with_user: bool = False) -> list[Membership]:
    """The usable memberships (active, in an active organisation) of a user, with their
    organisations (and the user, ``with_user``), in a stable order: by organisation name."""
    related = ("user", "organisation") if with_user else ("organisation",)
    memberships = Membership.objects.filter(
        user_id=user_id, is_active=True, organisation__is_active=True
    ).select_related(*related)
    # Sorted here: ordering by a joined column cost a third of the query's time (most of it is
    # the ORM's, for a user's one or two rows).
    return sorted(memberships.order_by(), key=lambda item: (item.organisation.name, item.pk))


def active_memberships_for_user(user: User) -> list[Membership]:
    """Return the user's usable memberships, in a stable order.

    A request's user comes with them (``backends.MemberBackend``, same query as the user):
    those are used, so a request acts through what it read at its start.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    loaded = getattr(user, LOADED_MEMBERSHIPS, None)
    if loaded is not None:
        return list(loaded)
    return active_memberships_of(user.pk)


def get_membership_for_session(user: User, chosen_id: int | None) -> Membership | None:
    """Return the membership chosen in the session, or the user's first one."""
    memberships = active_memberships_for_user(user)
    for membership in memberships:
        if membership.pk == chosen_id:
            return membership
    return memberships[0] if memberships else None


def get_membership_for_api_token(secret: str) -> Membership | None:
    """Return the membership behind a usable API token, recording its use."""
    token = (
        ApiToken.objects.select_related("membership__organisation", "membership__user")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None or not token.is_usable():
        return None
    membership = token.membership
    if not (
        membership.is_active and membership.organisation.is_active and membership.user.is_active
    ):
        return None
    now = timezone.now()
    # Write at most once a minute: the API must not turn every read into a write.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return membership


# Sign-in -----------------------------------------------------------------------------------------


def two_factor_required_for(user: User) -> bool:
    """Whether ``user`` must sign in with a second factor (see the module docstring)."""
    if not settings.OKOA_REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).values_list("role", flat=True)
    return any(
        ROLE_CAPABILITIES.get(Membership.Role(role), frozenset()) & PERSONAL_DATA_CAPABILITIES
        for role in roles
        if role in Membership.Role.values
    )


def has_two_factor(user: User) -> bool:
    """Whether ``user`` has a confirmed authenticator app (or recovery codes).

    Only Okoa's own devices count: django-otp's plaintext TOTP and static devices are no longer
    used (migration accounts 0004 moved their rows here).
    """
    return (
        AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()
        or RecoveryCodeDevice.objects.filter(user=user, confirmed=True).exists()
    )


def is_verified(request: HttpRequest) -> bool:
    """Whether this session was signed in (or confirmed) with a second factor."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def recovery_codes_left(user: User) -> int:
    """Count the user's unused recovery codes."""
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def client_address(request: HttpRequest | None) -> str | None:
    """Return the client's address as the server saw it (as ``audit.actions.client_address``).

    Behind a proxy, the WSGI/ASGI server must set REMOTE_ADDR from the proxy's header, or every
    visitor shares the proxy's address (and its throttle).
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def email_digest(email: str) -> str:
    """Return a keyed digest of an email address, so attempts are counted without storing it.

    HMAC-SHA256 under SECRET_KEY rather than a bare SHA-256: addresses are easy to guess, and a
    plain hash of a guessed address would confirm the guess to anyone who reads the table.
    """
    normalised = email.strip().lower()
    return salted_hmac("okoa.accounts.SignInAttempt", normalised, algorithm="sha256").hexdigest()


def sign_in_lock(digest: str, address: str | None) -> str | None:
    """Return why sign-in is refused now ("email" or "address"), or None when it may go on.

    An email address is locked by ``OKOA_SIGN_IN_MAX_FAILURES_PER_EMAIL`` failures since its
    last successful sign-in within the window; a network address by
    ``OKOA_SIGN_IN_MAX_FAILURES_PER_ADDRESS`` failures within the window, successes or not (one
    good account must not let an address go on guessing others). Refusals while locked are not
    failures: the lock ends when the window has moved past the failures.
    """
    since = timezone.now() - timedelta(seconds=settings.OKOA_SIGN_IN_WINDOW_SECONDS)
    recent = SignInAttempt.objects.filter(at__gte=since)
    for_email = recent.filter(email_digest=digest)
    successes = for_email.filter(outcome=SignInAttempt.Outcome.SUCCESS)
    last_success = successes.aggregate(at=Max("at"))["at"]
    failures = for_email.filter(outcome__in=SignInAttempt.FAILURES)
    if last_success is not None:
        failures = failures.filter(at__gt=last_success)
    if failures.count() >= settings.OKOA_SIGN_IN_MAX_FAILURES_PER_EMAIL:
        return "email"
    if address is not None and (
        recent.filter(address=address, outcome__in=SignInAttempt.FAILURES).count()
        >= settings.OKOA_SIGN_IN_MAX_FAILURES_PER_ADDRESS
    ):
        return "address"
    return None


def reset_requests_exhausted(digest: str, address: str | None) -> bool:
    """Whether another password reset email for this address would be one too many for now."""
    since = timezone.now() - timedelta(seconds=settings.OKOA_SIGN_IN_WINDOW_SECONDS)
    requests = SignInAttempt.objects.filter(
        at__gte=since, outcome=SignInAttempt.Outcome.RESET_REQUESTED
    )
    if requests.filter(email_digest=digest).count() >= MAX_RESET_REQUESTS_PER_EMAIL:
        return True
    return address is not None and (
        requests.filter(address=address).count() >= settings.OKOA_SIGN_IN_MAX_FAILURES_PER_ADDRESS
    )
