"""Records of the intake channels: USSD sessions, outbound SMS, imported emails, attachments,
messages added to open reports.

Registered in the intake app through ``okoa.intake.models`` (which imports this module last).

Words used here:

* *acknowledgement*: the message that tells whoever reported that the report arrived, with its
  reference and PIN. It is sent only after the report is committed, and it never carries a
  name or anything of the narrative.
* *attachment*: a file that came with an email report. Allowed files are kept sealed with the
  key ring; refused ones (too large, a type not allowed) are recorded without their content, so
  that staff see what was refused and why.

Everything that identifies somebody (phone numbers, message texts, file names and contents, the
last screen of a USSD session with its PIN) is encrypted at rest.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.intake.models import Report
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedMixin, EncryptedTextField


class EncryptedBytesField(EncryptedMixin, models.TextField):
    """Binary content (a file) encrypted at rest: sealed as base64 text with the key ring.

    Text, so that ``rotate_keys`` re-seals and verifies it like every other encrypted field.
    """

    _pyi_private_set_type: bytes  # type: ignore[assignment]
    _pyi_private_get_type: bytes  # type: ignore[assignment]

    def to_plaintext(self, value: Any) -> str:
        if isinstance(value, str):
            value = value.encode("utf-8")
        return base64.b64encode(bytes(value)).decode("ascii")

    def from_plaintext(self, text: str) -> Any:
        return base64.b64decode(text) if text else b""

    def to_python(self, value: Any) -> Any:
        return value


class UssdSession(models.Model):
    """A USSD session that ended in a report, with the last screen it was shown.

    USSD menus are read from the inputs the gateway resends with every request (``text``), so
    sessions leave no row until they make a report. The last screen (reference and PIN) is kept,
    sealed, so that a gateway delivering the last request again gets the same answer. Erasure
    empties it; a request repeated after that gets a plain "received" screen.
    """

    session_id = models.CharField(max_length=100, unique=True)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ussd_sessions")
    answer = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"USSD session of report {self.report_id}"


class OutboundSms(models.Model):
    """One SMS Okoa sends (an acknowledgement), queued until the gateway accepts it.

    It is queued in the transaction that saves the report and sent once that commits; a failed
    send is tried again by ``manage.py send_queued_sms`` until ``MAX_ATTEMPTS``. ``sending``
    holds the row for one sender at a time; a sender that died leaves it to be taken again once
    ``next_attempt_at`` has passed. ``last_error`` is the gateway's status, never the number.
    Erasure of the report empties number and text; an SMS not sent by then is never sent.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    class Purpose(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")

    MAX_ATTEMPTS = 8

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, null=True, blank=True, related_name="outbound_sms"
    )
    purpose = models.CharField(max_length=24, choices=Purpose.choices)
    to = EncryptedTextField()
    message = EncryptedTextField()
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    gateway_message_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound SMS")
        verbose_name_plural = _("outbound SMS")
        constraints = [
            # One acknowledgement per report, however often its message is delivered.
            models.UniqueConstraint(
                fields=["report", "purpose"],
                condition=models.Q(report__isnull=False),
                name="one_outbound_sms_per_report_and_purpose",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbound_sms_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_sms_due")]

    def __str__(self) -> str:
        return f"SMS {self.code} ({self.status})"


class ImportedEmail(models.Model):
    """A message of the intake mailbox that was imported, so that it is never imported twice.

    Known by its place in the mailbox (mailbox, UIDVALIDITY, UID) and by a hash of its
    Message-ID (of the whole message when it has none), which still holds when the mailbox is
    rebuilt and UIDs change. ``report`` is emptied, not the row deleted, if the report goes.
    """

    mailbox = models.CharField(max_length=300)
    uid_validity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id_hash = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uid_validity", "uid"], name="one_import_per_mailbox_uid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uid_validity}/{self.uid}"


class ReportAttachment(models.Model):
    """A file that came with a report (by email): sealed, or refused with the reason.

    Staff who may see the report download a kept file (``intake:attachment``), never view it
    in the page. Erasure empties the file name and content and sets ``erased_at``; the row
    stays, so that the type, size and refusal still count.
    """

    class Refusal(models.TextChoices):
        TOO_LARGE = "too_large", _("Too large")
        TYPE_NOT_ALLOWED = "type_not_allowed", _("Type not allowed")
        TOO_MANY = "too_many", _("Too many files")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file_name = EncryptedTextField(_("file name"), blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    content = EncryptedBytesField(blank=True, default=b"")
    refused = models.CharField(_("refused"), max_length=20, choices=Refusal.choices, blank=True)
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            # A refused file keeps no content.
            models.CheckConstraint(
                condition=models.Q(refused="") | models.Q(content=""),
                name="refused_attachment_has_no_content",
            )
        ]

    def __str__(self) -> str:
        # Never the file name: it may name a person.
        return f"Attachment {self.code}"

    @property
    def can_be_downloaded(self) -> bool:
        """Whether the file was kept and is still there (not refused, not erased)."""
        return not self.refused and self.erased_at is None


class AppendedMessage(models.Model):
    """A message added to an open report instead of opening another: its sender had reached the
    per-number limit of new reports (``OKOA_INTAKE_REPORTS_PER_PHONE``).

    Remembered by the gateway's message id only (no number, no text: the text is in the
    report's narrative), so that a delivery the gateway repeats is not added twice.
    """

    channel = models.CharField(max_length=24)
    external_id = models.CharField(max_length=200)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_appended_message_per_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} message added to report {self.report_id}"
