from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.lib.codes import new_code


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


class User(AbstractBaseUser, PermissionsMixin):
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
