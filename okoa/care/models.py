"""Care of a survivor: needs assessments and the individual care plan (goals and services).

A *needs assessment* rates what a survivor needs in each area of care at one date; it is
repeated over time and never overwritten. The *care plan* is one per case: *goals* with target
dates, and *services* planned and delivered, each for a *beneficiary* (the survivor or one of
their dependants) and with its *provider* (the organisation itself, another organisation in
Okoa, or an outside provider named in free text). Counts, statuses, dates and categories are
clear; anything narrative (goal descriptions, assessment notes) is encrypted at rest.
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.people.models import Person


class CareArea(models.TextChoices):
    """The areas of care a needs assessment covers and a goal belongs to."""

    SAFETY = "safety", _("Safety")
    MEDICAL = "medical", _("Medical care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SHELTER = "shelter", _("Shelter")
    LEGAL = "legal", _("Legal support")
    IDENTITY_DOCUMENTS = "identity_documents", _("Identity documents")
    FAMILY = "family", _("Family tracing and reunification")
    EDUCATION = "education", _("Education")
    LIVELIHOOD = "livelihood", _("Livelihood")


class NeedLevel(models.TextChoices):
    NONE = "none", _("No need")
    SOME = "some", _("Some need")
    URGENT = "urgent", _("Urgent need")
    UNKNOWN = "unknown", _("Not assessed")


class NeedsAssessment(models.Model):
    """What the survivor needs in each area of care, as assessed on one date.

    Assessments are repeated over time; each is kept as it was recorded.
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs_assessments")
    assessed_on = models.DateField(_("date of the assessment"))
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    safety = models.CharField(
        CareArea.SAFETY.label, max_length=8, choices=NeedLevel.choices, default=NeedLevel.UNKNOWN
    )
    medical = models.CharField(
        CareArea.MEDICAL.label, max_length=8, choices=NeedLevel.choices, default=NeedLevel.UNKNOWN
    )
    mental_health = models.CharField(
        CareArea.MENTAL_HEALTH.label,
        max_length=8,
        choices=NeedLevel.choices,
        default=NeedLevel.UNKNOWN,
    )
    shelter = models.CharField(
        CareArea.SHELTER.label, max_length=8, choices=NeedLevel.choices, default=NeedLevel.UNKNOWN
    )
    legal = models.CharField(
        CareArea.LEGAL.label, max_length=8, choices=NeedLevel.choices, default=NeedLevel.UNKNOWN
    )
    identity_documents = models.CharField(
        CareArea.IDENTITY_DOCUMENTS.label,
        max_length=8,
        choices=NeedLevel.choices,
        default=NeedLevel.UNKNOWN,
    )
    family = models.CharField(
        CareArea.FAMILY.label, max_length=8, choices=NeedLevel.choices, default=NeedLevel.UNKNOWN
    )
    education = models.CharField(
        CareArea.EDUCATION.label,
        max_length=8,
        choices=NeedLevel.choices,
        default=NeedLevel.UNKNOWN,
    )
    livelihood = models.CharField(
        CareArea.LIVELIHOOD.label,
        max_length=8,
        choices=NeedLevel.choices,
        default=NeedLevel.UNKNOWN,
    )
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"Assessment {self.code}"

    def levels(self) -> list[tuple[str, str, str]]:
        """Each area of care with its level: (area, area label, level label)."""
        return [
            (area.value, str(area.label), str(NeedLevel(getattr(self, area.value)).label))
            for area in CareArea
        ]


class CarePlan(models.Model):
    """A survivor's individual care plan: one per case, started with its first goal or service.

    ``version`` grows with every change to the plan or its goals (optimistic locking).
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="care_plan")
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")

    def __str__(self) -> str:
        return f"Care plan {self.code}"


class CareGoal(models.Model):
    """A goal of the care plan, with its area of care, target date, status and progress.

    The description may name people, so it is encrypted. *Progress* is how far an open goal has
    come (a category, so that it can be counted); ``version`` grows with every change to the
    goal (optimistic locking on the goal's own page), and each change bumps the plan's version
    too.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        SOME = "some", _("Some progress")
        ON_TRACK = "on_track", _("On track")
        STUCK = "stuck", _("Stuck")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("area of care"), max_length=20, choices=CareArea.choices)
    description = EncryptedTextField(_("goal"))
    target_on = models.DateField(_("target date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    progress = models.CharField(
        _("progress"), max_length=12, choices=Progress.choices, default=Progress.NOT_STARTED
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["target_on", "id"]
        verbose_name = _("care goal")
        verbose_name_plural = _("care goals")

    def __str__(self) -> str:
        return f"Goal {self.code}"


# Encrypted columns have no length in the database: the form and the action hold the limit.
PROVIDER_NAME_LIMIT = 120


class CareService(models.Model):
    """A service of the care plan for one beneficiary: planned, then delivered.

    The *beneficiary* is the survivor or one of their dependants. ``planned_count`` and
    ``delivered_count`` count sessions or items where counting matters (12 counselling sessions
    planned, 5 attended); a medical screening records its outcome category only, never clinical
    details. The *provider* is the case's own organisation unless another organisation or an
    outside provider's name is given. The outside provider's name is encrypted and shown only
    to roles that see care texts; erasure empties it.
    """

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("Counselling or therapy sessions")
        MEDICAL_SCREENING = "medical_screening", _("Medical screening")
        MEDICAL_CARE = "medical_care", _("Medical care")
        BASIC_NEEDS = "basic_needs", _("Basic needs items")
        SCHOOL = "school", _("School support")
        TRAINING = "training", _("Vocational training")
        LEGAL_AID = "legal_aid", _("Legal aid")
        DOCUMENTS = "documents", _("Help with identity documents")
        FAMILY_TRACING = "family_tracing", _("Family tracing")
        OTHER = "other", _("Other service")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class ScreeningOutcome(models.TextChoices):
        NOT_APPLICABLE = "", _("Not a screening")
        PENDING = "pending", _("Pending")
        DONE_NO_FOLLOW_UP = "done_no_follow_up", _("Done, no follow-up needed")
        DONE_FOLLOW_UP = "done_follow_up", _("Done, follow-up needed")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="services")
    beneficiary = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("for")
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    provider_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provided by another organisation"),
    )
    # Encrypted: an outside provider may be a private counsellor, a family or a school that
    # says where a child is. Empty ("") stays empty in the column, so the one-provider
    # constraint below still holds on the database's side.
    provider_name = EncryptedTextField(
        _("outside provider"),
        max_length=PROVIDER_NAME_LIMIT,
        blank=True,
        validators=[MaxLengthValidator(PROVIDER_NAME_LIMIT)],
    )
    planned_count = models.PositiveIntegerField(
        _("sessions or items planned"), null=True, blank=True
    )
    delivered_count = models.PositiveIntegerField(_("sessions or items delivered"), default=0)
    screening_outcome = models.CharField(
        _("screening outcome"),
        max_length=20,
        choices=ScreeningOutcome.choices,
        default=ScreeningOutcome.NOT_APPLICABLE,
        blank=True,
    )
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("care service")
        verbose_name_plural = _("care services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_count__isnull=True)
                | models.Q(delivered_count__lte=models.F("planned_count")),
                name="care_service_delivered_within_planned",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="care_service_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(provider_organisation__isnull=True) | models.Q(provider_name=""),
                name="care_service_one_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"Service {self.code}"

    @property
    def provider_label(self) -> str:
        """Who provides the service, for display to roles that see care texts (an outside
        provider may be a person)."""
        if self.provider_organisation_id:
            return self.provider_organisation.name  # type: ignore[union-attr]
        return self.provider_name or self.plan.case.organisation.name


DEFAULT_FOLLOW_UP_MONTHS = [1, 3, 6, 12, 18, 24]
# The limits of an organisation's schedule: visits within three years, at most a dozen.
MAX_FOLLOW_UP_MONTH = 36
MAX_FOLLOW_UP_VISITS = 12
MAX_OVERDUE_AFTER_DAYS = 60


def default_follow_up_months() -> list[int]:
    return list(DEFAULT_FOLLOW_UP_MONTHS)


class FollowUpPolicy(models.Model):
    """An organisation's follow-up schedule: the months after reintegration starts when a
    follow-up visit is due. Without one, visits fall at 1, 3, 6, 12, 18 and 24 months.

    The months are copied into each schedule when reintegration starts: changing them changes
    schedules started afterwards, never existing ones. ``overdue_after_days`` is how many days
    after its due date a visit not yet recorded counts as overdue (0: the day after); it applies
    to every visit at once, as it only decides what lists call overdue.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="follow_up_policy"
    )
    months = models.JSONField(_("months of the follow-up visits"), default=default_follow_up_months)
    overdue_after_days = models.PositiveSmallIntegerField(
        _("days late before a visit is overdue"),
        default=0,
        validators=[MaxValueValidator(MAX_OVERDUE_AFTER_DAYS)],
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overdue_after_days__lte=MAX_OVERDUE_AFTER_DAYS),
                name="follow_up_overdue_after_days_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Follow-up policy {self.organisation_id}"


class Reintegration(models.Model):
    """The start of a survivor's reintegration: from it the follow-up visits are scheduled."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reintegration")
    started_on = models.DateField(_("reintegration started"))
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reintegration")
        verbose_name_plural = _("reintegrations")

    def __str__(self) -> str:
        return f"Reintegration {self.case_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}


class RiskFactor(models.TextChoices):
    """Structured factors of the re-trafficking risk assessment."""

    DEBT = "debt", _("Debt")
    UNEMPLOYMENT = "unemployment", _("No income or work")
    RECRUITER_CONTACT = "recruiter_contact", _("Contact with recruiters or traffickers")
    FAMILY_REJECTION = "family_rejection", _("Rejected by family or community")
    MIGRATION_INTENT = "migration_intent", _("Intends to migrate again")
    HOUSING = "housing", _("No safe housing")
    NO_DOCUMENTS = "no_documents", _("No identity documents")
    SUBSTANCE_USE = "substance_use", _("Harmful alcohol or drug use")
    MENTAL_HEALTH = "mental_health", _("Untreated mental health needs")


# Factors that make the risk high on their own.
GRAVE_FACTORS = frozenset({RiskFactor.RECRUITER_CONTACT, RiskFactor.MIGRATION_INTENT})


def risk_level_of(factors: set[str] | frozenset[str] | list[str]) -> str:
    """Score the factors: a grave factor or four factors is high, two or three medium."""
    present = set(factors)
    if present & GRAVE_FACTORS or len(present) >= 4:
        return RiskLevel.HIGH
    if len(present) >= 2:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


class FollowUpVisit(models.Model):
    """A follow-up visit of the reintegration schedule: due on a date, then recorded.

    A recorded visit has the contact mode, the survivor's wellbeing, progress on the goals and
    the re-trafficking risk assessment (factors and the level scored from them). Notes are
    encrypted. ``version`` guards against two people recording the same visit.
    """

    class ContactMode(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        OFFICE = "office", _("At the office")
        PHONE = "phone", _("Phone call")
        VIDEO = "video", _("Video call")

    class Wellbeing(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")

    class Progress(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        SOME = "some", _("Some progress")
        NONE = "none", _("No progress")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_up_visits")
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due"))
    visited_on = models.DateField(_("date of the visit"), null=True, blank=True)
    visited_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_mode = models.CharField(
        _("contact"), max_length=12, choices=ContactMode.choices, blank=True
    )
    wellbeing = models.CharField(
        _("wellbeing"), max_length=8, choices=Wellbeing.choices, blank=True
    )
    goal_progress = models.CharField(
        _("progress on the goals"), max_length=10, choices=Progress.choices, blank=True
    )
    risk_factors = models.JSONField(_("risk factors"), default=list, blank=True)
    risk_level = models.CharField(
        _("re-trafficking risk"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        indexes = [models.Index(fields=["visited_on", "due_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"Follow-up {self.code}"

    @property
    def is_recorded(self) -> bool:
        return self.visited_on is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.visited_on is None and self.due_on < today

    def risk_factor_labels(self) -> list[str]:
        return [str(RiskFactor(factor).label) for factor in self.risk_factors]


class LegalProcess(models.Model):
    """The criminal justice process of a case: police report, P3 form, court case, hearings.

    Holds references and categories only (numbers, station, court, stage, the survivor's role),
    never statements. The occurrence book and court case numbers lead to police and court
    records that name the person, so they are encrypted; the station, the court and the stage
    are counted in the clear. ``version`` guards against two people editing at once.
    """

    class P3Status(models.TextChoices):
        UNKNOWN = "", _("Not known")
        NOT_NEEDED = "not_needed", _("Not needed")
        PENDING = "pending", _("To be filled")
        FILLED = "filled", _("Filled by the doctor")
        SUBMITTED = "submitted", _("Given to the police")

    class Stage(models.TextChoices):
        NOT_REPORTED = "not_reported", _("Not reported")
        INVESTIGATION = "investigation", _("Under investigation")
        CHARGED = "charged", _("Suspects charged")
        TRIAL = "trial", _("On trial")
        JUDGMENT = "judgment", _("Judgment given")
        APPEAL = "appeal", _("On appeal")
        WITHDRAWN = "withdrawn", _("Withdrawn or closed")

    class Role(models.TextChoices):
        NONE = "", _("Not involved")
        COMPLAINANT = "complainant", _("Complainant")
        WITNESS = "witness", _("Witness")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="legal_process")
    # Encrypted columns have no length in the database: the limit is the form's and full_clean's.
    ob_number = EncryptedTextField(
        _("occurrence book number"),
        max_length=40,
        blank=True,
        validators=[MaxLengthValidator(40)],
    )
    police_station = models.CharField(_("police station"), max_length=120, blank=True)
    reported_on = models.DateField(_("reported to the police on"), null=True, blank=True)
    p3_status = models.CharField(
        _("P3 medical form"), max_length=12, choices=P3Status.choices, blank=True
    )
    court_case_number = EncryptedTextField(
        _("court case number"),
        max_length=60,
        blank=True,
        validators=[MaxLengthValidator(60)],
    )
    court = models.CharField(_("court"), max_length=120, blank=True)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.NOT_REPORTED
    )
    survivor_role = models.CharField(
        _("the survivor's role"), max_length=12, choices=Role.choices, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("legal process")
        verbose_name_plural = _("legal processes")

    def __str__(self) -> str:
        return f"Legal process {self.case_id}"


class Hearing(models.Model):
    """A court hearing date of the legal process."""

    legal_process = models.ForeignKey(
        LegalProcess, on_delete=models.CASCADE, related_name="hearings"
    )
    held_on = models.DateField(_("hearing date"))

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"Hearing {self.held_on}"


class BusinessPlan(models.Model):
    """A survivor's small business plan for economic empowerment, and its grant.

    A supervisor approves the grant; disbursements (with their M-Pesa or bank reference) and
    business checks at 3, 6 and 12 months follow. Amounts are in Kenya shillings. The location
    (where the survivor trades) and the payment references (which lead to M-Pesa or bank
    records naming the person) are encrypted; types, amounts, dates and channels are clear.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Grant approved")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="business_plan")
    business_type = models.CharField(_("type of business"), max_length=120)
    location = EncryptedTextField(
        _("location"), max_length=120, validators=[MaxLengthValidator(120)]
    )
    budget = models.DecimalField(_("budget (KES)"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("business plan")
        verbose_name_plural = _("business plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget__gte=0), name="business_budget_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"Business plan {self.case_id}"


class Disbursement(models.Model):
    """A payment of the grant, by M-Pesa or bank, with its transaction reference."""

    class Channel(models.TextChoices):
        MPESA = "mpesa", _("M-Pesa")
        BANK = "bank", _("Bank transfer")

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="disbursements")
    amount = models.DecimalField(_("amount (KES)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("paid by"), max_length=8, choices=Channel.choices)
    reference = EncryptedTextField(
        _("transaction reference"), max_length=40, validators=[MaxLengthValidator(40)]
    )

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="disbursement_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Disbursement {self.pk}"


class BusinessCheck(models.Model):
    """How the business is doing at 3, 6 or 12 months."""

    class State(models.TextChoices):
        TRADING = "trading", _("Trading")
        STRUGGLING = "struggling", _("Struggling")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(BusinessPlan, on_delete=models.CASCADE, related_name="checks")
    month = models.PositiveSmallIntegerField(_("month"), choices=[(3, "3"), (6, "6"), (12, "12")])
    checked_on = models.DateField(_("checked on"))
    state = models.CharField(_("the business"), max_length=12, choices=State.choices)

    class Meta:
        ordering = ["month"]
        verbose_name = _("business check")
        verbose_name_plural = _("business checks")
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="one_business_check_per_month")
        ]

    def __str__(self) -> str:
        return f"Business check {self.month}"
