"""Changes to organisations, users, memberships, API tokens and two-step verification.

Each action is one transaction and takes the actor (``by``) where a person makes the change;
setting up accounts from the command line or the demo passes ``by=None``.

Security events (sign-in attempts, enrolment, password changes) are logged to the
``okoa.security`` logger with the user's opaque code (or, for an address that may not be an
account, its digest) and the network address: never a password, a code or an email address.

Hazard: verifying a code must commit even when it fails. django-otp counts failures on the device
(its own throttle); an exception rolling the transaction back would undo that count. So
``verify_sign_in_code`` and ``confirm_two_factor_device`` return a result instead of raising.

Second-factor secrets never leave these functions except to their owner: the authenticator
secret is encrypted at rest (``AuthenticatorDevice.key``), and recovery codes are returned once,
when made, and stored only as keyed digests (``RecoveryCode``).
"""

from __future__ import annotations

import base64
import enum
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device

from okoa.accounts.access import email_digest
from okoa.accounts.models import (
    ApiToken,
    AuthenticatorDevice,
    Membership,
    Organisation,
    RecoveryCode,
    RecoveryCodeDevice,
    SignInAttempt,
    User,
    new_device_key,
    recovery_code_digest,
)

security_log = logging.getLogger("okoa.security")

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


@transaction.atomic
def create_organisation(*, name: str, kind: str, reference_prefix: str) -> Organisation:
    """Register an organisation."""
    organisation = Organisation(name=name, kind=kind, reference_prefix=reference_prefix)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def create_user(
    *,
    email: str,
    full_name: str,
    password: str | None,
    organisation: Organisation | None = None,
    role: str | None = None,
    preferred_language: str = "en",
    is_site_admin: bool = False,
) -> User:
    """Create a user and, when given, their membership of ``organisation`` with ``role``."""
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name,
        preferred_language=preferred_language,
        is_staff=is_site_admin,
        is_superuser=is_site_admin,
    )
    if organisation is not None:
        if role is None:
            raise ValueError("A role is required with an organisation.")
        add_member(organisation, user=user, role=role)
    return user


@transaction.atomic
def add_member(organisation: Organisation, *, user: User, role: str) -> Membership:
    """Give ``user`` a role in ``organisation`` (or change the role they have)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return membership


@transaction.atomic
def issue_api_token(membership: Membership, *, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and never stored."""
    secret = "okoa_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=secret[:12],
        digest=ApiToken.digest_of(secret),
        expires_at=expires_at,
    )
    return token, secret


@transaction.atomic
def revoke_api_token(token: ApiToken) -> None:
    """Revoke a token; revoking a revoked token is a no-op."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


# Sign-in and two-step verification ---------------------------------------------------------------


def log_subject(*, user: User | None = None, email: str | None = None) -> str:
    """Name who an event is about in a log line: the account's code, else the email's digest."""
    if user is not None:
        return f"user={user.code}"
    code = User.objects.filter(email=(email or "").strip().lower()).values_list("code", flat=True)
    found = code.first()
    if found is not None:
        return f"user={found}"
    return f"email_digest={email_digest(email or '')[:16]}"


def record_sign_in_attempt(
    *,
    email: str,
    address: str | None,
    outcome: SignInAttempt.Outcome,
    user: User | None = None,
    detail: str = "",
) -> SignInAttempt:
    """Count one sign-in attempt (or reset request) and log it; successes prune old rows."""
    now = timezone.now()
    attempt = SignInAttempt.objects.create(
        at=now, email_digest=email_digest(email), address=address, outcome=outcome
    )
    subject = log_subject(user=user, email=email)
    suffix = f" ({detail})" if detail else ""
    if outcome == SignInAttempt.Outcome.SUCCESS:
        security_log.info("sign-in succeeded %s address=%s%s", subject, address, suffix)
        SignInAttempt.objects.filter(
            at__lt=now - timedelta(days=SignInAttempt.RETENTION_DAYS)
        ).delete()
    elif outcome == SignInAttempt.Outcome.RESET_REQUESTED:
        security_log.info("password reset requested %s address=%s%s", subject, address, suffix)
    else:
        security_log.warning(
            "sign-in refused: %s %s address=%s%s", outcome.value, subject, address, suffix
        )
    return attempt


class CodeCheck(enum.Enum):
    """How a code typed at sign-in fared."""

    ACCEPTED = "accepted"
    REFUSED = "refused"  # wrong, expired (outside the allowed drift) or already used
    THROTTLED = "throttled"  # django-otp refuses to check: too many wrong codes in a row


@dataclass
class CodeResult:
    check: CodeCheck
    device: Device | None = None


def normalise_code(text: str) -> str:
    """Drop the spaces and hyphens people type inside codes; recovery codes are lower case."""
    return "".join(character for character in text if character not in " -\t").lower()


def verify_sign_in_code(user: User, *, code: str) -> CodeResult:
    """Check a code from the user's authenticator app, or use up one of their recovery codes.

    A six-digit code goes to the app (TOTP: accepts one step of drift either way, refuses a code
    at or before the last one accepted); anything else is tried as a recovery code, which is
    deleted when it matches. Commits in every case (see the module docstring).
    """
    code = normalise_code(code)
    with transaction.atomic():
        devices: list[Device]
        # Locked until the end of the transaction: two requests cannot both use one code.
        if code.isdigit() and len(code) in (6, 8):
            devices = list(
                AuthenticatorDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .order_by("pk")
            )
        else:
            devices = list(
                RecoveryCodeDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .order_by("pk")
            )
        throttled = False
        for device in devices:
            allowed, _details = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return CodeResult(CodeCheck.ACCEPTED, device)
    return CodeResult(CodeCheck.THROTTLED if throttled else CodeCheck.REFUSED)


@transaction.atomic
def start_two_factor_enrolment(user: User) -> AuthenticatorDevice:
    """Return the user's unconfirmed authenticator device, creating it with a new secret."""
    device = (
        AuthenticatorDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    return device


def confirm_two_factor_device(
    device: AuthenticatorDevice, *, code: str, by: User, address: str | None = None
) -> list[str] | None:
    """Confirm a new authenticator app with a code from it; return new recovery codes.

    On success the new app replaces any earlier one, and a fresh set of recovery codes replaces
    the old set (shown once: only the caller sees them). A wrong code returns None and changes
    nothing but django-otp's failure count.
    """
    codes: list[str] | None = None
    with transaction.atomic():
        device = AuthenticatorDevice.objects.select_for_update().get(pk=device.pk)
        if device.user_id != by.pk or device.confirmed:
            return None
        if device.verify_token(normalise_code(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            AuthenticatorDevice.objects.filter(user=by).exclude(pk=device.pk).delete()
            codes = _replace_recovery_codes(by)
    if codes is None:
        security_log.info("two-factor enrolment code refused user=%s address=%s", by.code, address)
    else:
        security_log.info("two-factor enrolled user=%s address=%s", by.code, address)
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User, *, by: User, address: str | None = None) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    codes = _replace_recovery_codes(user)
    security_log.info(
        "recovery codes regenerated user=%s by=%s address=%s", user.code, by.code, address
    )
    return codes


def new_recovery_code() -> str:
    """Return a random recovery code: 8 characters of lower-case base32 (40 bits)."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def _replace_recovery_codes(user: User) -> list[str]:
    """Give ``user`` a new key and new codes; return the codes (the only time they exist).

    The set itself (its row) stays, so a session signed in with one of its codes stays signed
    in with a second factor.
    """
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device = RecoveryCodeDevice.objects.select_for_update().get(pk=device.pk)
    device.key = new_device_key()  # digests of the old codes no longer match anything
    device.confirmed = True
    device.save(update_fields=["key", "confirmed"])
    device.codes.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(new_recovery_code())
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, digest=recovery_code_digest(device.key, code)) for code in codes
    )
    return sorted(codes)


def record_password_change(user: User, *, address: str | None, reset: bool = False) -> None:
    """Log a password change (the form saved it); other sessions end with the old password."""
    how = "reset by email link" if reset else "changed"
    security_log.info("password %s user=%s address=%s", how, user.code, address)
