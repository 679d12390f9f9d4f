"""Notifications: what happened to an organisation's referrals, told in the app, by email and SMS.

A notification names an event (``Event``), an opaque reference (a referral's code) and a site
path, nothing else: it is safe to show in a list, to send to a shared office mailbox or to a
phone that may be read by someone else. Names, case details and narratives never enter this app.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField


class Event(models.TextChoices):
    """What a notification tells; the label is the only words an email or SMS carries."""

    REFERRAL_RECEIVED = "referral_received", _("New referral received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_COMPLETED = "referral_completed", _("Referral completed")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("Referral withdrawn")
    REFERRAL_OVERDUE = "referral_overdue", _("Referral waiting for an answer")
    REFERRAL_SUMMARY = "referral_summary", _("Referral summary")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> NotificationQuerySet:
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app notification to one user: an event, a reference and where to see it.

    ``organisation`` is the organisation whose desk was notified (empty when the caller named
    the users); ``path`` is a site path (``/referrals/<code>/``), checked when created, so that
    opening a notification can never lead off the site.
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    reference = models.CharField(_("reference"), max_length=64)
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user", "-created_at"], name="notification_newest"),
            # What ``prune_notifications`` looks for: read long ago, or unread and old.
            models.Index(fields=["read_at", "created_at"], name="notification_age"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.reference}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationContacts(models.Model):
    """Where an organisation's referral desk is told of referrals: an email address and a phone.

    Set by the organisation's administrator. They are office contacts, not survivors' data, but
    they are kept encrypted all the same and never written to a log. ``version`` refuses a save
    based on an older page (two administrators editing at once).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="notification_contacts"
    )
    email = EncryptedTextField(_("email address"), blank=True)
    phone = EncryptedTextField(_("phone number"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notification contacts")
        verbose_name_plural = _("notification contacts")

    def __str__(self) -> str:
        return f"{self.organisation} · {_('notification contacts')}"


class QueuedMessage(models.Model):
    """A message Okoa sends outside the app, queued until it is accepted for delivery.

    Queued in the caller's transaction and sent once that commits; failures are tried again by
    ``manage.py send_notifications`` with a growing delay, up to ``MAX_ATTEMPTS``. ``sending``
    holds the row for one sender at a time (a lease in ``next_attempt_at``). ``last_error`` is
    the transport's status, never the address or the text.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    MAX_ATTEMPTS = 8

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32, choices=Event.choices)
    reference = models.CharField(max_length=64)
    to = EncryptedTextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.code} ({self.status})"


class OutboundEmail(QueuedMessage):
    """One notification email to an organisation's desk: event label, reference and link."""

    subject = EncryptedTextField()
    body = EncryptedTextField()

    class Meta:
        verbose_name = _("notification email")
        verbose_name_plural = _("notification emails")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbound_email_sent_has_time",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_email_due")]


class OutboundSms(QueuedMessage):
    """One notification SMS to an organisation's desk, sent through the intake SMS gateway.

    Not the intake's acknowledgement queue (``intake.OutboundSms``, one per report): this one
    carries notifications, which belong to no report.
    """

    message = EncryptedTextField()
    gateway_message_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("notification SMS")
        verbose_name_plural = _("notification SMS")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sms_sent_has_time",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_sms_due")]
