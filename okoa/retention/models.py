"""Retention periods and erasure of identities (the right to erasure).

Words used here (see also docs/glossary.md):

* *retention period*: how long an organisation keeps a person's identity after their last case
  closed (``RetentionPolicy``). ``manage.py apply_retention`` erases the identities whose period
  has run out.
* *erasure*: emptying a person's identifiers and the free text about them (names, date of birth,
  phone and document numbers, narratives, notes, reasons) for good, while the attributes that
  statistics count stay (sex, year of birth, nationality, county of origin, disability, the
  cases' status, dates and trafficking details). What is wiped is listed in
  ``okoa/retention/actions.py``. An erased person keeps their row, marked ``Person.erased_at``.
* *erasure request*: a member's request to erase one person now, with a reason; a supervisor or
  organisation administrator other than the requester approves it (four eyes) or rejects it.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.people.models import Person

# A month at least: a case reopened shortly after closing must still find its survivor.
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 36500


class RetentionPolicy(models.Model):
    """How long an organisation keeps identities after the person's last case closed.

    ``closed_case_retention_days`` empty means no automatic erasure. Set by organisation
    administrators; ``manage.py apply_retention`` applies it.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_policy"
    )
    closed_case_retention_days = models.PositiveIntegerField(
        _("days to keep identities after the last case closed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_RETENTION_DAYS), MaxValueValidator(MAX_RETENTION_DAYS)],
        help_text=_("Leave empty to keep identities until somebody erases them."),
    )
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_case_retention_days__isnull=True)
                | models.Q(
                    closed_case_retention_days__gte=MIN_RETENTION_DAYS,
                    closed_case_retention_days__lte=MAX_RETENTION_DAYS,
                ),
                name="retention_days_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Retention policy of {self.organisation}"

    def cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        """The moment before which a last case must have closed for erasure (None: never)."""
        if self.closed_case_retention_days is None:
            return None
        return now - datetime.timedelta(days=self.closed_case_retention_days)

    def people_due_for_erasure(self, now: datetime.datetime) -> list[Person]:
        """The organisation's people whose identity the retention period no longer covers.

        A person is due when none of their cases is open and the last one closed before the
        cutoff. A dependant without a case of their own is due with the person they depend on
        (their details were kept for that person's cases), even if that person was erased
        earlier. People never erased before come first, survivors before their dependants.
        """
        cutoff = self.cutoff(now)
        if cutoff is None:
            return []
        # Identifiers are not loaded (nor decrypted): erasure reads the person again, locked.
        people = Person.objects.filter(organisation_id=self.organisation_id).only("id", "code")
        expired = (
            Person.objects.filter(organisation_id=self.organisation_id)
            .annotate(
                cases_total=Count("cases"),
                cases_open=Count("cases", filter=~Q(cases__status=Case.Status.CLOSED)),
                last_closed=Max("cases__closed_at"),
            )
            .filter(cases_total__gt=0, cases_open=0, last_closed__lt=cutoff)
            .values("pk")
        )
        survivors = people.filter(erased_at__isnull=True, pk__in=expired).order_by("id")
        dependants = (
            people.filter(erased_at__isnull=True, parent__in=expired)
            .exclude(Exists(Case.objects.filter(person=OuterRef("pk"))))
            .order_by("id")
        )
        return [*survivors, *dependants]


class ErasureRequest(models.Model):
    """A member's request to erase one person's identity, and its decision.

    ``status`` follows ``TRANSITIONS``: pending → approved, rejected or withdrawn, each final.
    Approving erases at once, in the same transaction (``actions.approve_erasure``). The decider
    is never the requester: the database refuses it too. ``reason`` and ``decision_note`` are
    free text that may name people, so they are encrypted; they are kept after the erasure as
    the record of why it happened.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved: identity erased")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The lifecycle is data: each status and the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
        Status.APPROVED: frozenset(),
        Status.REJECTED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="erasure_requests", verbose_name=_("person")
    )
    include_dependants = models.BooleanField(
        _("also erase the dependants' identities"), default=False
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now, editable=False)
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = EncryptedTextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            # Four eyes: whoever asked never decides (withdrawing is not deciding: see below).
            models.CheckConstraint(
                condition=models.Q(status="withdrawn")
                | models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="erasure_decided_by_another",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="erasure_decided_at_iff_decided",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "requested_at"], name="erasure_queue")
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs and error reports.
        return f"Erasure request {self.code}"

    def can_move_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to ``status``."""
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Erasure(models.Model):
    """That one person's identity was erased: when, why (``reason``), by whom or by the retention
    command (``by`` empty), through which request, and which fields (names only, never values).

    One row per person: erasing twice is a no-op.
    """

    class Reason(models.TextChoices):
        REQUEST = "request", _("Erasure request")
        DEPENDANT = "dependant", _("Erasure request of the person they depend on")
        RETENTION = "retention", _("Retention period over")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    request = models.ForeignKey(
        ErasureRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="erasures"
    )
    fields = models.JSONField(default=list)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        indexes = [models.Index(fields=["organisation", "at"], name="erasure_org_at")]

    def __str__(self) -> str:
        return f"Erasure of person {self.person_id} ({self.reason})"
