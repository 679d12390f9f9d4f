from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField


class Organisation(models.Model):
    """An organisation that uses Okoa: an NGO, a government office, an embassy, a hospital...

    Every record about a person belongs to exactly one organisation, and only that
    organisation's members see it (referrals open narrow, logged windows later).
    """

    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        GOVERNMENT = "government", _("Government department")
        CTIP_SECRETARIAT = "ctip_secretariat", _("Counter-Trafficking in Persons secretariat")
        EMBASSY = "embassy", _("Embassy or consulate")
        INTERNATIONAL = "international", _("International organisation")
        POLICE = "police", _("Police")
        HEALTH_FACILITY = "health_facility", _("Health facility")
        SHELTER = "shelter", _("Shelter")
        RECRUITMENT_REGULATOR = "recruitment_regulator", _("Recruitment regulator")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        unique=True,
        help_text=_("Two to ten capital letters that start this organisation's case references."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference_prefix__regex=r"^[A-Z]{2,10}$"),
                name="organisation_reference_prefix_letters",
            )
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


# django-otp is untyped: django-stubs cannot name the managers of the devices' user relations.
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person who signs in to Okoa: staff of a member organisation, or a site administrator.

    What a user may see comes from their memberships, never from the user alone. Site
    administrators (``is_superuser``) manage organisations and accounts, not case files.
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", "English"), ("sw", "Kiswahili")],
        default="en",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("site administrator"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email


class Capability(models.TextChoices):
    """What a role allows; roles map to capabilities in ``ROLE_CAPABILITIES``."""

    VIEW_CASES = "view_cases", _("See case files")
    VIEW_IDENTITIES = "view_identities", _("See names, contacts, documents and narratives")
    EDIT_CASES = "edit_cases", _("Create and edit people and cases")
    SUPERVISE = "supervise", _("Approve and reassign")
    MANAGE_MEMBERS = "manage_members", _("Manage the organisation's members")
    VIEW_STATISTICS = "view_statistics", _("See statistics")
    VIEW_INTAKE = "view_intake", _("See reports and hotline calls, with the reporters' details")
    EDIT_INTAKE = "edit_intake", _("Record, triage, refer and close reports and calls")


class Membership(models.Model):
    """A user's role in one organisation."""

    class Role(models.TextChoices):
        HOTLINE_OPERATOR = "hotline_operator", _("Hotline operator")
        CASEWORKER = "caseworker", _("Caseworker")
        SUPERVISOR = "supervisor", _("Supervisor")
        ORGANISATION_ADMIN = "organisation_admin", _("Organisation administrator")
        DATA_ANALYST = "data_analyst", _("Data analyst")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def can(self, capability: Capability) -> bool:
        """Whether this membership's role carries ``capability``."""
        return self.is_active and capability in ROLE_CAPABILITIES[self.Role(self.role)]


# The role table is data: one place decides what each role may do.
ROLE_CAPABILITIES: dict[Membership.Role, frozenset[Capability]] = {
    # Operators work the intake queue; case files are closed to them.
    Membership.Role.HOTLINE_OPERATOR: frozenset({Capability.VIEW_INTAKE, Capability.EDIT_INTAKE}),
    Membership.Role.CASEWORKER: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_IDENTITIES,
            Capability.EDIT_CASES,
            Capability.VIEW_INTAKE,
            Capability.EDIT_INTAKE,
        }
    ),
    Membership.Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_IDENTITIES,
            Capability.EDIT_CASES,
            Capability.SUPERVISE,
            Capability.VIEW_STATISTICS,
            Capability.VIEW_INTAKE,
            Capability.EDIT_INTAKE,
        }
    ),
    Membership.Role.ORGANISATION_ADMIN: frozenset(
        {
            Capability.VIEW_CASES,
            Capability.VIEW_IDENTITIES,
            Capability.EDIT_CASES,
            Capability.SUPERVISE,
            Capability.MANAGE_MEMBERS,
            Capability.VIEW_STATISTICS,
            Capability.VIEW_INTAKE,
            Capability.EDIT_INTAKE,
        }
    ),
    # Analysts see case attributes for statistics, never who the person is (nor reports, which
    # are mostly who and where).
    Membership.Role.DATA_ANALYST: frozenset({Capability.VIEW_CASES, Capability.VIEW_STATISTICS}),
}


class ApiToken(models.Model):
    """A personal API token, bound to one membership; only its SHA-256 digest is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class SignInAttempt(models.Model):
    """One try at signing in (password step or code step), kept to throttle guessing.

    Failed attempts are counted per email address and per network address over a sliding window
    (``OKOA_SIGN_IN_WINDOW_SECONDS``): see ``okoa/accounts/access.py: sign_in_lock``. The email
    address is never stored, only a keyed digest of it (``email_digest``), so that typing errors
    and guesses of unknown addresses leave no readable trace. Rows older than
    ``RETENTION_DAYS`` are deleted as new successful sign-ins are recorded.
    """

    RETENTION_DAYS = 90

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        BAD_PASSWORD = "bad_password", _("Wrong email address or password")
        BAD_CODE = "bad_code", _("Wrong, expired or reused code")
        LOCKED = "locked", _("Refused: too many failures")
        RESET_REQUESTED = "reset_requested", _("Password reset requested")

    # Outcomes that count towards a lock; refusals while locked do not extend it.
    FAILURES = (Outcome.BAD_PASSWORD, Outcome.BAD_CODE)

    at = models.DateTimeField(default=timezone.now, db_index=True)
    email_digest = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        indexes = [
            models.Index(fields=["email_digest", "at"], name="sign_in_attempt_email"),
            models.Index(fields=["address", "at"], name="sign_in_attempt_address"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.at:%Y-%m-%d %H:%M}"


# Two-step verification ---------------------------------------------------------------------------
#
# Okoa's own django-otp devices. django-otp's TOTPDevice and StaticToken keep the TOTP secret and
# the recovery codes in plaintext: anyone with a copy of the database or a backup could make
# every user's codes. Here the secrets are sealed with the key ring (AES-256-GCM, like survivors'
# names; ``rotate_keys`` reseals them like every encrypted field) and recovery codes are kept
# only as keyed digests. Migration 0004 moved the rows of django-otp's tables here.


def new_device_key() -> str:
    """Return a new random device secret: 20 bytes (160 bits, as RFC 4226 advises), hex."""
    return secrets.token_hex(20)


def validate_device_key(value: str) -> None:
    """Refuse a device secret that is not 1 to 40 bytes of hex (without echoing it)."""
    try:
        raw = bytes.fromhex(value)
    except (TypeError, ValueError):
        raise ValidationError(_("The key must be hexadecimal."), code="invalid") from None
    if not 0 < len(raw) <= 40:
        raise ValidationError(_("The key must be 1 to 40 bytes long."), code="invalid")


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app on a user's phone, which shows a new six-digit code every 30 seconds.

    Time-based one-time codes (TOTP, RFC 6238) from a secret shared once, at enrolment, through
    a QR code. This is django-otp's ``TOTPDevice`` with the same fields and the same checks
    (``verify_token``), except that ``key``, the secret, is encrypted at rest: a database copy
    alone cannot make anybody's codes. A user has at most one confirmed device; an unconfirmed
    one is an enrolment in progress.
    """

    key = EncryptedTextField(default=new_device_key, validators=[validate_device_key])
    step = models.PositiveSmallIntegerField(default=30)  # seconds each code lasts
    t0 = models.BigIntegerField(default=0)  # Unix time at which steps start
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    # Steps of clock difference accepted either way: 1 accepts the previous and next codes too.
    tolerance = models.PositiveSmallIntegerField(default=1)
    # Steps the phone's clock is known to be off by, learnt at each accepted code.
    drift = models.SmallIntegerField(default=0)
    # Step of the last accepted code: only a code of a later step is accepted (no replay).
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        """The secret as bytes."""
        return binascii.unhexlify(self.key.encode())

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token: Any) -> bool:
        """Check a code; True uses it up. Mirrors django-otp 1.7's ``TOTPDevice.verify_token``.

        Refused without looking while throttled. Accepted within ``tolerance`` steps of the
        current one (after ``drift``) and only at a step after ``last_t``, which then moves on
        (with the drift, when OTP_TOTP_SYNC is on) and resets the throttle. A wrong code counts
        one failure towards the throttle and is saved at once. Load the device with
        ``select_for_update`` inside a transaction, so two requests cannot both use one code.
        """
        verify_allowed, _details = self.verify_is_allowed()
        if not verify_allowed:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(number, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        """The ``otpauth://`` address an authenticator app reads from the QR code.

        It holds the secret: show it only to the device's owner, never log or store it.
        """
        label = str(self.user.get_username())
        parameters = urlencode(
            {
                "secret": base64.b32encode(self.bin_key),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            parameters += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{parameters}"


def recovery_code_digest(key: str, code: str) -> str:
    """Return the keyed digest (HMAC-SHA256) of a recovery code under its set's key."""
    return hmac.new(bytes.fromhex(key), code.encode("utf-8"), hashlib.sha256).hexdigest()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's set of recovery codes: each one signs in once, instead of a code from the app.

    For the day a phone is lost. The codes are shown once, when made, and stored only as keyed
    digests (``RecoveryCode``) under this set's own random ``key``, itself encrypted with the
    key ring: a database copy alone holds neither the codes nor what it takes to test guesses
    against their digests (a bare hash of a 40-bit code would fall to a quick search), and key
    rotation reseals the key like any encrypted field, so the codes keep working. One set per
    user; a new set replaces the key and every code.
    """

    key = EncryptedTextField(default=new_device_key, validators=[validate_device_key])

    class Meta(Device.Meta):
        verbose_name = _("set of recovery codes")
        verbose_name_plural = _("sets of recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_recovery_code_set_per_user")
        ]

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: Any) -> bool:
        """Use up a recovery code; mirrors django-otp's ``StaticDevice.verify_token``.

        Refused without looking while throttled; a wrong code counts towards the throttle, a
        right one resets it and is deleted, so it works once. Load the device with
        ``select_for_update`` inside a transaction.
        """
        verify_allowed, _details = self.verify_is_allowed()
        if not verify_allowed:
            return False
        match = self.matching_code(str(token))
        # The delete is the use: if another request deleted the code first, this one fails.
        used = match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] > 0
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return used

    def matching_code(self, code: str) -> RecoveryCode | None:
        """Return the stored code equal to ``code``, comparing every digest in constant time."""
        candidate = recovery_code_digest(self.key, code)
        match = None
        for stored in self.codes.all():
            # No early exit: the time taken does not depend on which code matched.
            if hmac.compare_digest(stored.digest, candidate):
                match = stored
        return match


class RecoveryCode(models.Model):
    """One unused recovery code, as its keyed digest: the code itself is never stored."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_once_per_set")
        ]

    def __str__(self) -> str:
        return f"{self.device} · {self.pk}"
