"""Intake: every call for help that reaches an organisation, before (and as) it becomes cases.

Words used here (see also docs/glossary.md):

* *report*: one call for help, by any channel (hotline, web form, SMS, USSD, email, social
  media, walk-in, a partner organisation, the police), often from a relative of somebody held
  abroad. None may be lost: a public report is committed before its sender is told it arrived.
* *reporter*: whoever made the report; *subjects*: the people in distress it is about.
* *triage*: reading a new report, judging its urgency, looking for duplicates and deciding what
  happens next: cases, a referral elsewhere, or closing it with a reason.
* *group incident*: a report about many people at once ("thirty others in the same compound");
  people are added to it as their details arrive, each with a case of their own.
* *hotline call*: one call to an organisation's hotline, whether or not it was a real contact.

Everything that identifies somebody (names, phone numbers, contacts, places, narratives,
employers, recruitment agencies) is encrypted at rest. Duplicates and repeat callers are found
through keyed blind-index tokens (``ReportSearchToken``, ``HotlineCall.caller_phone_token``),
never by decrypting. What triage sorts and counts on (channel, status, urgency, country, number
of people) stays in the clear.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedJSONField, EncryptedTextField
from okoa.reference.models import Country


class Channel(models.TextChoices):
    """How a report reached the organisation."""

    HOTLINE = "hotline", _("Hotline call")
    WEB = "web", _("Web form")
    SMS = "sms", _("SMS")
    USSD = "ussd", _("USSD")
    EMAIL = "email", _("Email")
    SOCIAL_MEDIA = "social_media", _("Social media")
    WALK_IN = "walk_in", _("Walk-in")
    PARTNER_ORGANISATION = "partner_organisation", _("Partner organisation")
    POLICE = "police", _("Police")


# Channels the public uses without signing in; which organisation receives them is IntakeRoute's.
PUBLIC_CHANNELS = (Channel.WEB, Channel.SMS, Channel.USSD, Channel.EMAIL)


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        """Reports that still need somebody: not referred elsewhere and not closed."""
        return self.filter(status__in=Report.OPEN_STATUSES)

    def in_queue_order(self) -> ReportQuerySet:
        """Most urgent first (immediate danger on top), then the longest waiting."""
        return self.order_by("urgency", "received_at", "id")


class Report(models.Model):
    """One call for help received by an organisation, through any channel.

    * ``reference`` (``TUM-R-2026-000123``) is what the reporter is told and what staff say; it
      comes from a per-organisation, per-year counter row (``ReportReferenceCounter``), never
      from a count. URLs use the opaque ``code``.
    * The *PIN* (six digits) is shown once, with the reference, to whoever made the report; only
      its password hash is kept. Reference and PIN together open the public status page, which
      shows the *public stage* only (``PUBLIC_STAGES``), never any personal data.
    * ``status`` follows ``TRANSITIONS``: received → in triage / being handled → referred
      elsewhere / closed. Referring and closing need a reason (``outcome_reason``); a closed
      report can be reopened into triage.
    * ``urgency`` orders the triage queue, immediate danger first; ``immediate_danger`` (what the
      reporter said, or triage concluded) forces the top urgency.
    * ``channel`` + ``external_id`` (a gateway's message id, for example) are unique, so a
      channel that delivers the same message twice gets the same report back.
    * Encrypted: reporter name, phone and other contacts, how to reach them safely, the names,
      phone numbers and document numbers of the people in distress, city and place, narrative,
      employer and the recruitment agency as given (encrypted too: people often name an
      individual recruiter; matching to the agency registry will go through a blind-index
      token). Clear: country, number of people, channel, source, status, urgency, dates.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_TRIAGE = "in_triage", _("In triage")
        BEING_HANDLED = "being_handled", _("Being handled")
        REFERRED = "referred", _("Referred elsewhere")
        CLOSED = "closed", _("Closed")

    # The lifecycle is data: each status and the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.RECEIVED: frozenset(
            {Status.IN_TRIAGE, Status.BEING_HANDLED, Status.REFERRED, Status.CLOSED}
        ),
        Status.IN_TRIAGE: frozenset({Status.BEING_HANDLED, Status.REFERRED, Status.CLOSED}),
        Status.BEING_HANDLED: frozenset({Status.REFERRED, Status.CLOSED}),
        Status.REFERRED: frozenset({Status.BEING_HANDLED, Status.CLOSED}),
        Status.CLOSED: frozenset({Status.IN_TRIAGE}),
    }
    OPEN_STATUSES = (Status.RECEIVED, Status.IN_TRIAGE, Status.BEING_HANDLED)

    class PublicStage(models.TextChoices):
        """What the public status page may say about a report: nothing more."""

        RECEIVED = "received", _("Received")
        BEING_HANDLED = "being_handled", _("Being handled")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")

    PUBLIC_STAGES: dict[str, str] = {
        Status.RECEIVED: PublicStage.RECEIVED,
        Status.IN_TRIAGE: PublicStage.BEING_HANDLED,
        Status.BEING_HANDLED: PublicStage.BEING_HANDLED,
        Status.REFERRED: PublicStage.REFERRED,
        Status.CLOSED: PublicStage.CLOSED,
    }

    class Urgency(models.IntegerChoices):
        IMMEDIATE = 1, _("Immediate danger")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")
        LOW = 4, _("Low")

    class Relationship(models.TextChoices):
        """Who the reporter is to the people in distress."""

        SELF = "self", _("The person in distress")
        RELATIVE = "relative", _("A relative")
        FRIEND = "friend", _("A friend or neighbour")
        MEMBER_OF_PUBLIC = "member_of_public", _("A member of the public")
        OFFICIAL = "official", _("An official")
        ORGANISATION = "organisation", _("An organisation")
        UNKNOWN = "unknown", _("Not known")

    class Outcome(models.TextChoices):
        """Why a report was closed or referred elsewhere."""

        HANDLED_AS_CASES = "handled_as_cases", _("Handled through cases")
        NOT_TRAFFICKING = "not_trafficking", _("Not trafficking")
        DUPLICATE = "duplicate", _("Duplicate of another report")
        NO_CONTACT = "no_contact", _("Nobody could be reached")
        RESOLVED = "resolved", _("Resolved without a case")
        FALSE_REPORT = "false_report", _("False or prank report")
        OTHER_SERVICE = "other_service", _("Needs another service")
        OUTSIDE_MANDATE = "outside_mandate", _("Outside our area or mandate")
        OTHER = "other", _("Other reason")

    CLOSING_REASONS = (
        Outcome.HANDLED_AS_CASES,
        Outcome.NOT_TRAFFICKING,
        Outcome.DUPLICATE,
        Outcome.NO_CONTACT,
        Outcome.RESOLVED,
        Outcome.FALSE_REPORT,
        Outcome.OTHER,
    )
    REFERRAL_REASONS = (
        Outcome.NOT_TRAFFICKING,
        Outcome.OTHER_SERVICE,
        Outcome.OUTSIDE_MANDATE,
        Outcome.OTHER,
    )

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    reference = models.CharField(_("reference"), max_length=32, editable=False)
    pin_hash = models.CharField(max_length=128, editable=False)

    channel = models.CharField(_("channel"), max_length=24, choices=Channel.choices)
    source_detail = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_(
            "The platform, partner organisation or police station it came from. "
            "Never a person's name."
        ),
    )
    external_id = models.CharField(max_length=200, blank=True, editable=False)
    language = models.CharField(_("language of the reporter"), max_length=8, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    immediate_danger = models.BooleanField(_("in immediate danger"), default=False)

    reporter_relationship = models.CharField(
        _("who is reporting"),
        max_length=20,
        choices=Relationship.choices,
        default=Relationship.UNKNOWN,
    )
    reporter_name = EncryptedTextField(_("reporter's name"), blank=True)
    reporter_phone = EncryptedTextField(_("reporter's phone number"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter's other contacts"), blank=True)
    safe_contact = EncryptedTextField(_("how to reach them safely"), blank=True)

    subject_names = EncryptedJSONField(_("names of the people in distress"), default=list)
    subject_phone_numbers = EncryptedJSONField(
        _("phone numbers of the people in distress"), default=list
    )
    subject_document_numbers = EncryptedJSONField(
        _("passport or identity numbers of the people in distress"), default=list
    )
    estimated_people = models.PositiveIntegerField(
        _("number of people in distress"), null=True, blank=True
    )

    location_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country where they are"),
    )
    location_city = EncryptedTextField(_("city or town"), blank=True)
    location_details = EncryptedTextField(_("place"), blank=True)
    narrative = EncryptedTextField(_("what is happening"), blank=True)
    employer = EncryptedTextField(_("employer"), blank=True)
    recruitment_agency = EncryptedTextField(_("recruitment agency"), blank=True)

    received_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    assigned_to = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("assigned to"),
    )
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    outcome_reason = models.CharField(
        _("reason"), max_length=20, choices=Outcome.choices, blank=True
    )
    outcome_note = EncryptedTextField(_("note on the outcome"), blank=True)
    referred_to = EncryptedTextField(_("referred to"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="report_reference_unique_per_org"
            ),
            # Idempotent channels: a message delivered twice is one report.
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="report_external_id_unique_per_channel",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False)
                    | (~models.Q(status="closed") & models.Q(closed_at__isnull=True))
                ),
                name="report_closed_at_iff_closed",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["closed", "referred"], outcome_reason=""),
                name="report_outcome_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(urgency__gte=1, urgency__lte=4),
                name="report_urgency_known",
            ),
            models.CheckConstraint(
                condition=models.Q(immediate_danger=False) | models.Q(urgency=1),
                name="report_danger_is_most_urgent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status", "urgency", "received_at", "id"],
                name="report_queue",
            ),
            models.Index(fields=["assigned_to", "status"], name="report_assignee"),
            # The public status page finds a report by its reference alone.
            models.Index(fields=["reference"], name="report_reference"),
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs, admin messages and error reports.
        return self.reference

    def can_move_to(self, status: str) -> bool:
        """Whether the lifecycle allows moving from the current status to ``status``."""
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def public_stage(self) -> str:
        """The stage the public status page shows."""
        return self.PUBLIC_STAGES[self.Status(self.status)]

    def get_public_stage_display(self) -> str:
        return str(self.PublicStage(self.public_stage).label)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ReportReferenceCounter(models.Model):
    """The last report number an organisation used in a year (the source of references)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="one_report_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class ReportSearchToken(models.Model):
    """A keyed hash of one search key of a report: a phone or document number, the sound of a
    name part, a country and city, or a recruitment agency.

    Tokens use the same keys and the same organisation-scoped blind-index key as people's
    (``okoa.people.models.PersonSearchToken``), so a report's phone number meets the same number
    on another report or on a person's file without anything being decrypted. ``kind`` says
    which duplicate rule a token serves.
    """

    class Kind(models.IntegerChoices):
        PHONE = 1, _("Phone number")
        DOCUMENT = 2, _("Document number")
        NAME = 3, _("Name")
        PLACE = 4, _("Place")
        AGENCY = 5, _("Recruitment agency")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="search_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    token = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "token", "report"], name="report_token_lookup"),
        ]

    def __str__(self) -> str:
        return f"search token of report {self.report_id}"


class ReportEvent(models.Model):
    """One entry of a report's timeline. ``data`` holds statuses, codes and field names; the
    free-text reason of a referral or closure lives on the report (encrypted), not here."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Report received")
        UPDATED = "updated", _("Details updated")
        STATUS_CHANGED = "status_changed", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        CASE_OPENED = "case_opened", _("Case opened")
        GROUP_OPENED = "group_opened", _("Group incident opened")
        PIN_REISSUED = "pin_reissued", _("New PIN given")
        MESSAGE_ADDED = "message_added", _("Message added")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["report", "at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class ReportCase(models.Model):
    """A case opened from a report for one of the people it is about."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="case_links")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="intake_report")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"report {self.report_id} → case {self.case_id}"


class GroupIncident(models.Model):
    """Many people in distress in one place, known from one report ("thirty others in the same
    compound"). People are added as their details arrive; each gets a person record and a case
    of their own (``GroupIncidentMember``). ``estimated_size`` is what was reported, so triage
    sees how many are still missing."""

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="group_incidents")
    estimated_size = models.PositiveIntegerField(_("estimated number of people"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country"),
    )
    location = EncryptedTextField(_("place"), blank=True)
    description = EncryptedTextField(_("what is known"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("group incident")
        verbose_name_plural = _("group incidents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_size__gte=1), name="group_incident_has_people"
            )
        ]

    def __str__(self) -> str:
        return f"Group incident {self.code}"


class GroupIncidentMember(models.Model):
    """One person of a group incident, through the case opened for them."""

    incident = models.ForeignKey(GroupIncident, on_delete=models.PROTECT, related_name="members")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="group_membership")
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"incident {self.incident_id} ← case {self.case_id}"


class HotlineCall(models.Model):
    """One call to the organisation's hotline, as the operator logged it.

    Every call is logged, including silent, prank, abusive and wrong-number calls, so that real
    contacts (``is_real_contact``) can be counted apart from the rest. The caller's number is
    encrypted; its blind-index token (same key as people's ``tel:`` tokens) recognises repeat
    callers. A call about trafficking becomes a report in one click (``report``).
    """

    class CallerType(models.TextChoices):
        VICTIM = "victim", _("The person in distress")
        RELATIVE = "relative", _("A relative")
        MEMBER_OF_PUBLIC = "member_of_public", _("A member of the public")
        OFFICIAL = "official", _("An official")
        UNKNOWN = "unknown", _("Not known")

    class Category(models.TextChoices):
        TRAFFICKING_REPORT = "trafficking_report", _("Trafficking report")
        INFORMATION_REQUEST = "information_request", _("Information request")
        OTHER_ISSUE = "other_issue", _("Another issue, referred on")
        FOLLOW_UP = "follow_up", _("Follow-up of an earlier contact")
        SILENT = "silent", _("Silent call")
        PRANK = "prank", _("Prank call")
        ABUSIVE = "abusive", _("Abusive call")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    # Calls that are not real contacts, counted apart.
    NOT_CONTACTS = (Category.SILENT, Category.PRANK, Category.ABUSIVE, Category.WRONG_NUMBER)

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hotline_calls"
    )
    operator = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("operator")
    )
    started_at = models.DateTimeField(_("call started"), default=timezone.now)
    duration_seconds = models.PositiveIntegerField(_("duration in seconds"), default=0)
    caller_type = models.CharField(
        _("caller"), max_length=20, choices=CallerType.choices, default=CallerType.UNKNOWN
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    caller_phone = EncryptedTextField(_("caller's phone number"), blank=True)
    caller_phone_token = models.BigIntegerField(null=True, blank=True, editable=False)
    notes = EncryptedTextField(_("notes"), blank=True)
    report = models.OneToOneField(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_call",
        verbose_name=_("report"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        indexes = [
            models.Index(
                fields=["organisation", "caller_phone_token", "started_at"],
                name="call_repeat_caller",
            ),
            models.Index(fields=["organisation", "started_at"], name="call_org_recent"),
        ]

    def __str__(self) -> str:
        return f"Call {self.code}"

    @property
    def is_real_contact(self) -> bool:
        return self.category not in self.NOT_CONTACTS

    @property
    def duration_minutes(self) -> int:
        """The length of the call in whole minutes (rounded)."""
        return round(self.duration_seconds / 60)


class IntakeRoute(models.Model):
    """Which organisation receives the reports of a public channel (web, SMS, USSD, email).

    Set by site administrators. A channel without a route still never loses a report: it goes
    to the first active CTiP secretariat, else the first active NGO, else the first active
    organisation, and the fallback is logged as an error and reported by
    ``manage.py check --database default`` until a route is set.
    """

    channel = models.CharField(
        _("channel"),
        max_length=24,
        unique=True,
        choices=[(channel.value, channel.label) for channel in PUBLIC_CHANNELS],
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving organisation"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intake route")
        verbose_name_plural = _("intake routes")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.organisation}"


class RateLimitCounter(models.Model):
    """Attempts of one kind (``scope``) from one client address, phone number or reference in
    one fixed time window. Kept in the database so that the limits hold across server processes.
    ``key`` is a keyed hash: the table holds no address, number or reference."""

    scope = models.CharField(max_length=32)
    key = models.BigIntegerField()
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="one_rate_counter_per_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="rate_counter_age")]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"


# The channels' own records (USSD sessions, outbound SMS, imported emails, attachments) live in
# their own module; imported here so that Django registers them with the intake app.
from okoa.intake.channels.models import (  # noqa: E402, F401
    AppendedMessage,
    ImportedEmail,
    OutboundSms,
    ReportAttachment,
    UssdSession,
)
