"""Case files: one survivor's case at one organisation, its timeline and its notes.

Trafficking details follow the Human Trafficking Case Data Standard (HTCDS 2.0) so that cases
can be exchanged and counted with other systems. The narrative and notes are encrypted at rest.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.people.models import Person
from okoa.reference.models import CodeList, CodeListItem, Country, County


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(status=Case.Status.CLOSED)

    def assigned_to(self, user: User) -> CaseQuerySet:
        return self.filter(assigned_to=user)


class Case(models.Model):
    """One survivor's (or presumed victim's) case file at one organisation.

    The *reference* (``TUM-2026-00031``) is what caseworkers say and write; it is unique within
    the organisation and comes from a per-organisation, per-year counter, never from a count.
    URLs use the opaque ``code`` instead.

    ``survivor_sex`` and ``survivor_county`` are copies of the person's sex and county of origin,
    kept in step by ``open_case`` and ``update_person`` (erasure keeps both on the person). They
    exist so that the case list can filter on them with one index range in case order; read the
    person for anything else.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_CARE = "in_care", _("In care")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSED = "closed", _("Closed")

    # The lifecycle is data: each status and the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.OPEN: frozenset({Status.IN_CARE, Status.CLOSURE_REQUESTED, Status.CLOSED}),
        Status.IN_CARE: frozenset({Status.CLOSURE_REQUESTED}),
        Status.CLOSURE_REQUESTED: frozenset({Status.IN_CARE, Status.CLOSED}),
        Status.CLOSED: frozenset({Status.IN_CARE}),
    }

    class Scope(models.TextChoices):
        IN_COUNTRY = "in_country", _("Within the country")
        TRANSNATIONAL = "transnational", _("Across borders")
        UNKNOWN = "unknown", _("Not yet known")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(_("reference"), max_length=32, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("survivor")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("caseworker"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Copies of the survivor's attributes for the case list's filters (see the docstring).
    survivor_sex = models.CharField(
        _("sex"),
        max_length=8,
        choices=Person.Sex.choices,
        default=Person.Sex.UNKNOWN,
        editable=False,
    )
    survivor_county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,  # the organisation's index below starts every query that uses it
        verbose_name=_("county of origin"),
    )

    # Trafficking details (HTCDS 2.0).
    identified_on = models.DateField(_("date identified"), null=True, blank=True)
    scope = models.CharField(
        _("in-country or transnational"),
        max_length=16,
        choices=Scope.choices,
        default=Scope.UNKNOWN,
    )
    trafficking_status = models.ForeignKey(
        CodeListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.TRAFFICKING_STATUS, "is_active": True},
        verbose_name=_("trafficking status"),
    )
    countries_of_origin = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries of origin")
    )
    countries_of_transit = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries of transit")
    )
    countries_of_exploitation = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries of exploitation")
    )
    exploitation_types = models.ManyToManyField(
        CodeListItem,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.EXPLOITATION_TYPE, "is_active": True},
        verbose_name=_("types of exploitation"),
    )
    labour_industries = models.ManyToManyField(
        CodeListItem,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.LABOUR_INDUSTRY, "is_active": True},
        verbose_name=_("labour industries"),
    )
    methods_of_control = models.ManyToManyField(
        CodeListItem,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.METHOD_OF_CONTROL, "is_active": True},
        verbose_name=_("methods of control"),
    )
    recruitment_type = models.ForeignKey(
        CodeListItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.RECRUITMENT_TYPE, "is_active": True},
        verbose_name=_("recruitment method"),
    )
    recruited_on = models.DateField(_("date recruited"), null=True, blank=True)
    exploitation_began_on = models.DateField(_("exploitation began"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation ended"), null=True, blank=True)
    narrative = EncryptedTextField(_("what happened"), blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique_per_org"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False)
                    | (~models.Q(status="closed") & models.Q(closed_at__isnull=True))
                ),
                name="case_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "id"], name="case_org_status"),
            models.Index(fields=["organisation", "id"], name="case_org_newest"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee"),
            # The case list's survivor filters: one index range each, already in case order.
            models.Index(fields=["organisation", "survivor_county", "id"], name="case_org_county"),
            models.Index(fields=["organisation", "survivor_sex", "id"], name="case_org_sex"),
        ]

    def __str__(self) -> str:
        return self.reference

    def can_move_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to ``status``."""
        return status in self.TRANSITIONS[self.Status(self.status)]


class CaseReferenceCounter(models.Model):
    """The last case number an organisation used in a year (the source of references)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class CaseEvent(models.Model):
    """One entry of a case's timeline. ``data`` holds statuses, codes, categories and field
    names, never values that identify the person; somebody's own words about the case (the
    reason given for a status change) go in ``text``, encrypted at rest."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        UPDATED = "updated", _("Details updated")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Caseworker assigned")
        NOTE_ADDED = "note_added", _("Note added")
        PERSON_UPDATED = "person_updated", _("Personal details updated")
        SCREENED = "screened", _("Screened for trafficking")
        SCREENING_DECIDED = "screening_decided", _("Screening decided")
        NEEDS_ASSESSED = "needs_assessed", _("Needs assessed")
        CARE_GOAL_ADDED = "care_goal_added", _("Care goal added")
        CARE_GOAL_CHANGED = "care_goal_changed", _("Care goal changed")
        CARE_SERVICE_ADDED = "care_service_added", _("Care service added")
        CARE_SERVICE_UPDATED = "care_service_updated", _("Care service updated")
        REINTEGRATION_STARTED = "reintegration_started", _("Reintegration started")
        FOLLOW_UP_RECORDED = "follow_up_recorded", _("Follow-up visit recorded")
        OPERATION_STATUS = "operation_status", _("Operation status changed")
        SHELTER_CHECK_IN = "shelter_check_in", _("Checked into a shelter")
        SHELTER_CHECK_OUT = "shelter_check_out", _("Checked out of a shelter")
        CONSENT_RECORDED = "consent_recorded", _("Consent to share recorded")
        REFERRAL_SENT = "referral_sent", _("Referral sent")
        REFERRAL_UPDATED = "referral_updated", _("Referral answered")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    # Free text that may name people: the reason given for a status change ("" when none).
    text = EncryptedTextField(_("free text"), blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseNote(models.Model):
    """A caseworker's note on a case; encrypted at rest."""

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    body = EncryptedTextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note {self.code}"
