"""Retention periods and erasure of identities (the right to erasure).

Words used here (see also docs/glossary.md):

* *retention period*: how long an organisation keeps a person's identity after their last case
  closed (``RetentionPolicy``). ``manage.py apply_retention`` erases the identities whose period
  has run out.
* *report retention period*: how long an organisation keeps a report that finished (closed or
  referred elsewhere) without a case: information requests, pranks, duplicates, reports closed as
  not trafficking. ``apply_retention`` wipes the report's personal data once it has run out, with
  what its channel kept (files, SMS, the USSD screen) and its search tokens, and the caller's
  number and notes of hotline calls that never became a report.
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
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.intake.models import GroupIncidentMember, HotlineCall, Report, ReportCase
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.people.models import Person

# A month at least: a case reopened shortly after closing must still find its survivor.
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 36500
# Reports that finished without a case: two years unless the organisation chooses otherwise.
DEFAULT_REPORT_RETENTION_DAYS = 730
# Three months at least: a closed report can be reopened when the reporter calls back, and
# triage finds duplicates and repeat callers through the reports it still holds.
MIN_REPORT_RETENTION_DAYS = 90
# Reports that ended so: closed, or referred to a service outside Okoa. Received, in triage and
# being handled are still somebody's work.
FINISHED_REPORT_STATUSES = (Report.Status.CLOSED, Report.Status.REFERRED)


class RetentionPolicy(models.Model):
    """How long an organisation keeps identities after the person's last case closed, and
    reports that finished without a case.

    ``closed_case_retention_days`` empty means no automatic erasure of identities;
    ``caseless_report_retention_days`` (two years unless changed) empty means reports without
    a case are kept until somebody erases them. Set by organisation administrators;
    ``manage.py apply_retention`` applies both. An organisation without a policy has no
    automatic erasure at all.
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
    caseless_report_retention_days = models.PositiveIntegerField(
        _("days to keep reports that finished without a case"),
        null=True,
        blank=True,
        default=DEFAULT_REPORT_RETENTION_DAYS,
        validators=[
            MinValueValidator(MIN_REPORT_RETENTION_DAYS),
            MaxValueValidator(MAX_RETENTION_DAYS),
        ],
        help_text=_("Leave empty to keep them until somebody erases them."),
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
            ),
            models.CheckConstraint(
                condition=models.Q(caseless_report_retention_days__isnull=True)
                | models.Q(
                    caseless_report_retention_days__gte=MIN_REPORT_RETENTION_DAYS,
                    caseless_report_retention_days__lte=MAX_RETENTION_DAYS,
                ),
                name="report_retention_days_in_range",
            ),
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

    def report_cutoff(self, now: datetime.datetime) -> datetime.datetime | None:
        """The moment before which a report without a case must have finished (None: never)."""
        if self.caseless_report_retention_days is None:
            return None
        return now - datetime.timedelta(days=self.caseless_report_retention_days)

    def reports_due_for_wiping(self, now: datetime.datetime) -> QuerySet[Report]:
        """The organisation's reports that finished without a case before the report cutoff
        and were not wiped since their last change, oldest first (``code`` only)."""
        cutoff = self.report_cutoff(now)
        if cutoff is None:
            return Report.objects.none()
        return caseless_reports_finished_before(self.organisation_id, cutoff).only("id", "code")

    def calls_due_for_wiping(self, now: datetime.datetime) -> QuerySet[HotlineCall]:
        """The organisation's hotline calls that never became a report, made before the report
        cutoff, that still hold the caller's number, its search token or notes."""
        cutoff = self.report_cutoff(now)
        if cutoff is None:
            return HotlineCall.objects.none()
        return (
            HotlineCall.objects.filter(
                organisation_id=self.organisation_id, report__isnull=True, started_at__lt=cutoff
            )
            # Encrypted columns hold "" when empty, so "is not empty" is a plain comparison.
            .filter(~Q(caller_phone="") | ~Q(notes="") | Q(caller_phone_token__isnull=False))
            .only("id", "code", "organisation_id")
            .order_by("started_at", "id")
        )


def caseless_reports_finished_before(
    organisation_id: int, cutoff: datetime.datetime
) -> QuerySet[Report]:
    """Reports of the organisation that finished (closed or referred elsewhere) and were last
    changed before ``cutoff``, never had a case nor a group incident with people, and were not
    wiped since that last change (a report reopened and changed after its wipe is due again).

    Open reports, reports in triage and reports being handled are never listed. A case opened
    from a report is the person's file: it goes with the person's own erasure instead.
    """
    return (
        Report.objects.filter(
            organisation_id=organisation_id,
            status__in=FINISHED_REPORT_STATUSES,
            updated_at__lt=cutoff,
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__lt=cutoff))
        .exclude(Exists(ReportCase.objects.filter(report=OuterRef("pk"))))
        .exclude(Exists(GroupIncidentMember.objects.filter(incident__report=OuterRef("pk"))))
        .exclude(
            Exists(Erasure.objects.filter(report=OuterRef("pk"), at__gte=OuterRef("updated_at")))
        )
        .order_by("updated_at", "id")
    )


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
    """That one person's identity was erased, or one report that finished without a case was
    wiped: when, why (``reason``), by whom or by the retention command (``by`` empty), through
    which request, and which fields (names only, never values).

    One row per person: erasing twice is a no-op. A report has one row per wipe: the retention
    command skips a report wiped since its last change; one reopened and changed afterwards is
    wiped again when its period runs out once more.
    """

    class Reason(models.TextChoices):
        REQUEST = "request", _("Erasure request")
        DEPENDANT = "dependant", _("Erasure request of the person they depend on")
        RETENTION = "retention", _("Retention period over")

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="erasure"
    )
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
        constraints = [
            # A person's erasure or a report's wipe, never both, never neither.
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, report__isnull=True)
                | models.Q(person__isnull=True, report__isnull=False),
                name="erasure_of_a_person_or_a_report",
            )
        ]

    def __str__(self) -> str:
        if self.report_id is not None:
            return f"Erasure of report {self.report_id} ({self.reason})"
        return f"Erasure of person {self.person_id} ({self.reason})"
