"""Consent to share and closed-loop referrals between organisations.

A *consent* records that the survivor (or, for a child, a parent or guardian) agreed that parts
of their case may be shared: with which organisations (or any), which sections, on which date.
A supervisor may record an *override* instead, with the reason, when consent cannot be asked
(a child in danger, a survivor who cannot be reached in time). A withdrawn consent covers no new
referral.

A *referral* asks another organisation to provide a service to the survivor of a case. The
sender chooses which *sections* of the case are shared (the minimum by default); those sections
are copied, at the moment the referral is sent, into ``shared`` (a snapshot, encrypted), so the
receiver's pages never read the sender's case tables, and a referral to an organisation on
another installation can travel as a message. The receiver accepts, declines (with a reason) or
completes it (with an outcome); the sender may withdraw it. The lifecycle is data:
``Referral.TRANSITIONS``.

Each organisation sets how fast it expects an answer (``ReferralDeadlines``: 2 hours for
urgent referrals, 48 hours otherwise unless it chose other values); ``respond_by`` is fixed when
the referral is sent. Names, notes and reasons are encrypted; statuses, kinds, reason and outcome
categories, dates and section names are in the clear for lists and statistics.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.directory.models import Service, ServiceKind
from okoa.exchange.models import Partner
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedJSONField, EncryptedTextField


class Section(models.TextChoices):
    """The parts of a case a referral can share."""

    BASIC = "basic", _("Basic details: first name, sex, age, nationality, county of origin")
    CONTACT = "contact", _("Contact: phone numbers and languages")
    IDENTITY_DOCUMENTS = (
        "identity_documents",
        _("Full name, date of birth and identity document numbers"),
    )
    NARRATIVE = "narrative", _("What happened: the narrative and trafficking details")
    SCREENING = "screening", _("Screening outcome")
    NEEDS = "needs", _("Latest needs assessment (levels, without notes)")
    CARE_PLAN = "care_plan", _("Care plan summary: goals and services")
    LEGAL = "legal", _("Legal process")
    SHELTER_NEEDS = "shelter_needs", _("Shelter needs: safety, disability, dependants")


# What every referral shares, and what a new referral shares unless the sender adds more.
MINIMUM_SECTIONS: tuple[str, ...] = (Section.BASIC.value,)


class Consent(models.Model):
    """Agreement to share parts of a case, or a supervisor's override with its reason.

    ``any_organisation`` covers every organisation; otherwise only the ``organisations`` listed.
    ``sections`` lists the sections that may be shared. ``given_by`` says who agreed (the
    survivor, a parent, a guardian...) and ``given_by_details`` describes them in words (it may
    name somebody, so it is encrypted): consent never creates a person record. An override has
    no ``given_by`` and a reason instead.
    """

    class GivenBy(models.TextChoices):
        SURVIVOR = "survivor", _("The survivor")
        PARENT = "parent", _("A parent")
        GUARDIAN = "guardian", _("A guardian")
        OTHER = "other", _("Somebody else (say who)")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    is_override = models.BooleanField(_("supervisor override"), default=False)
    given_by = models.CharField(
        _("consent given by"), max_length=16, choices=GivenBy.choices, blank=True
    )
    given_by_details = EncryptedTextField(_("who, in words"), blank=True)
    given_on = models.DateField(_("date given"))
    any_organisation = models.BooleanField(_("for a referral to any organisation"), default=False)
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations")
    )
    sections = models.JSONField(_("sections that may be shared"), default=list)
    override_reason = EncryptedTextField(_("reason for the override"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent to share")
        verbose_name_plural = _("consents to share")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_override=True) | ~Q(given_by=""),
                name="consent_says_who_gave_it",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="consent_withdrawal_has_an_actor",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.code}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def covers(self, organisation_ids: set[int], sections: list[str] | set[str]) -> bool:
        """Whether this consent (organisations prefetched or not) covers a referral."""
        return (
            self.is_active
            and set(sections) <= set(self.sections)
            and (self.any_organisation or organisation_ids <= self.organisation_ids())
        )

    def organisation_ids(self) -> set[int]:
        return {organisation.pk for organisation in self.organisations.all()}

    def section_labels(self) -> list[str]:
        return [str(Section(name).label) for name in self.sections if name in Section.values]


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=Referral.OPEN_STATUSES)

    def overdue(self, now: datetime.datetime | None = None) -> ReferralQuerySet:
        """Sent, not answered, and past their ``respond_by``."""
        return self.filter(
            status=Referral.Status.SENT,
            answered_at__isnull=True,
            respond_by__lt=now or timezone.now(),
        )


class Referral(models.Model):
    """A request from one organisation to another to serve the survivor of a case.

    ``case`` is the sender's case (empty for a referral received from another installation).
    ``sections`` names the shared sections in the clear; ``shared`` holds their snapshot,
    encrypted, taken when the referral was sent, and ``reason_note`` says why the survivor is
    referred. ``answered_at`` is the first answer (accept or decline), ``closed_at`` the move to
    declined, completed or withdrawn. ``version`` grows with every move (optimistic locking).
    """

    class Status(models.TextChoices):
        SENT = "sent", _("Sent, waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        NORMAL = "normal", _("Normal")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("No capacity now")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible for the service")
        NOT_OFFERED = "not_offered", _("The service is not offered")
        OUTSIDE_AREA = "outside_area", _("Outside the area served")
        ALREADY_SERVED = "already_served", _("Already receiving this service")
        SURVIVOR_UNREACHABLE = "survivor_unreachable", _("Could not reach the survivor")
        OTHER = "other", _("Another reason")

    class Outcome(models.TextChoices):
        SERVICE_PROVIDED = "service_provided", _("Service provided")
        PARTLY_PROVIDED = "partly_provided", _("Service partly provided")
        SURVIVOR_DECLINED = "survivor_declined", _("The survivor declined the service")
        LOST_CONTACT = "lost_contact", _("Lost contact with the survivor")
        REFERRED_ON = "referred_on", _("Referred on to another provider")
        OTHER = "other", _("Another outcome")

    # The lifecycle is data: each status and the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN}),
        Status.ACCEPTED: frozenset({Status.COMPLETED, Status.WITHDRAWN}),
        Status.DECLINED: frozenset(),
        Status.COMPLETED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }
    OPEN_STATUSES = (Status.SENT, Status.ACCEPTED)
    CLOSED_STATUSES = (Status.DECLINED, Status.COMPLETED, Status.WITHDRAWN)

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    from_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("from"),
    )
    to_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("to"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service"),
    )
    service_kind = models.CharField(
        _("kind of service"), max_length=24, choices=ServiceKind.choices
    )
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    sections = models.JSONField(_("shared sections"), default=list)
    shared = EncryptedJSONField(_("shared details"), default=dict, blank=True)
    reason_note = EncryptedTextField(_("reason for the referral"), blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    respond_by = models.DateTimeField(_("answer expected by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=24, choices=DeclineReason.choices, blank=True
    )
    decline_note = EncryptedTextField(_("about declining"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("about the outcome"), blank=True)
    withdraw_reason = EncryptedTextField(_("reason for withdrawing"), blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="referral_to_another_organisation",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=["declined", "completed", "withdrawn"], closed_at__isnull=False)
                    | (
                        ~Q(status__in=["declined", "completed", "withdrawn"])
                        & Q(closed_at__isnull=True)
                    )
                ),
                name="referral_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=(Q(status="declined") & ~Q(decline_reason=""))
                | (~Q(status="declined") & Q(decline_reason="")),
                name="referral_decline_reason_iff_declined",
            ),
            models.CheckConstraint(
                condition=(Q(status="completed") & ~Q(outcome=""))
                | (~Q(status="completed") & Q(outcome="")),
                name="referral_outcome_iff_completed",
            ),
            models.CheckConstraint(
                condition=Q(respond_by__gte=models.F("sent_at")),
                name="referral_respond_by_after_sending",
            ),
        ]
        indexes = [
            models.Index(fields=["to_organisation", "status", "sent_at"], name="referral_inbox"),
            models.Index(fields=["from_organisation", "status", "sent_at"], name="referral_outbox"),
            models.Index(fields=["status", "respond_by"], name="referral_deadline"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def can_move_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to ``status``."""
        return status in self.TRANSITIONS[self.Status(self.status)]

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.status == self.Status.SENT
            and self.answered_at is None
            and self.respond_by < (now or timezone.now())
        )

    def section_labels(self) -> list[str]:
        return [str(Section(name).label) for name in self.sections if name in Section.values]


class ReferralEvent(models.Model):
    """One step of a referral's life: sent, accepted, declined, completed or withdrawn.

    ``organisation`` is the side that acted. ``data`` holds categories (a decline reason, an
    outcome), never the notes.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=Referral.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.status}"


class ExchangedReferral(models.Model):
    """The other installation's side of a referral that travels through ``okoa.exchange``.

    On the installation that sent the referral (``SENT``): the partner installation it went to
    and the ``referral.sent`` message that carries it (its page says whether it arrived);
    ``remote_code`` is the receiver's code for it, learnt from its first answer. On the
    installation that received it (``RECEIVED``): the partner it came from, the sender's code
    for it (``remote_code``: every message about it names it) and the message that brought it.
    A partner's referral is received once: the same sender's code arriving again under another
    message id creates nothing.

    ``erased_at`` is when the survivor's details were erased at the sender: on the sender, when
    its erasure queued the ``referral.erased`` message (``erasure_message_id``; empty when the
    ``referral.sent`` message had never left, so the partner holds no copy); on the receiver,
    when that message arrived and wiped the copy here (``erasure_message_id`` is the inbound
    message). Set once: the erasure of a copy happens once.
    """

    class Direction(models.TextChoices):
        SENT = "sent", _("Sent to a partner installation")
        RECEIVED = "received", _("Received from a partner installation")

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="exchanged")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    remote_code = models.CharField(_("code at the partner installation"), max_length=32, blank=True)
    # The ``referral.sent`` message: outbound on the sender, inbound on the receiver.
    message_id = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    erased_at = models.DateTimeField(_("erased at the sender"), null=True, blank=True)
    # The ``referral.erased`` message: outbound on the sender, inbound on the receiver.
    erasure_message_id = models.UUIDField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral between installations")
        verbose_name_plural = _("referrals between installations")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "direction", "remote_code"],
                condition=~Q(remote_code=""),
                name="one_exchanged_referral_per_remote_code",
            ),
            models.CheckConstraint(
                condition=~Q(direction="received") | ~Q(remote_code=""),
                name="exchanged_referral_received_has_remote_code",
            ),
            models.CheckConstraint(
                condition=Q(erasure_message_id__isnull=True) | Q(erased_at__isnull=False),
                name="exchanged_referral_erasure_message_when_erased",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.referral_id}"


DEFAULT_URGENT_HOURS = 2
DEFAULT_NORMAL_HOURS = 48
MAX_DEADLINE_HOURS = 30 * 24


class ReferralDeadlines(models.Model):
    """How many hours an organisation gives the receiver to answer its referrals, by urgency.

    Without a row, urgent referrals are due in 2 hours and others in 48.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="referral_deadlines"
    )
    urgent_hours = models.PositiveIntegerField(
        _("hours to answer an urgent referral"), default=DEFAULT_URGENT_HOURS
    )
    normal_hours = models.PositiveIntegerField(
        _("hours to answer another referral"), default=DEFAULT_NORMAL_HOURS
    )
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral deadlines")
        verbose_name_plural = _("referral deadlines")
        constraints = [
            models.CheckConstraint(
                condition=Q(urgent_hours__gte=1, normal_hours__lte=MAX_DEADLINE_HOURS)
                & Q(urgent_hours__lte=models.F("normal_hours")),
                name="referral_deadlines_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Referral deadlines of {self.organisation_id}"

    def hours_for(self, urgency: str) -> int:
        return self.urgent_hours if urgency == Referral.Urgency.URGENT else self.normal_hours


class ReferralSummary(models.Model):
    """The daily summary of overdue referrals sent to one organisation on one day.

    The row is what makes ``send_referral_summary`` idempotent: one summary per organisation
    per day, however often the command runs. Counts only.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    overdue_sent = models.PositiveIntegerField(default=0)
    overdue_received = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("referral summary")
        verbose_name_plural = _("referral summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "day"], name="one_referral_summary_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Referral summary {self.organisation_id} {self.day}"
