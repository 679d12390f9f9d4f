"""Who read and who changed which record: append-only, without personal data.

Records are named by their kind and opaque code, changes by field name only, so the audit trail
can be shown to an organisation's administrators without becoming a second copy of the files.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.lib.fields import EncryptedTextField


class AccessRecord(models.Model):
    """One read of a person's file or a case, through a page, the API, an export or a print."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Page")
        API = "api", _("API")
        EXPORT = "export", _("Export")
        PRINT = "print", _("Print")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # No index of its own: (organisation, user, at) below serves every look-up by organisation,
    # and each index is one more write for each of the 25 rows a case list page records.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    record_kind = models.CharField(max_length=32)
    record_code = models.CharField(max_length=32)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        indexes = [
            models.Index(fields=["record_kind", "record_code", "at"]),
            models.Index(fields=["organisation", "user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_code} read via {self.channel}"


class ExportRecord(models.Model):
    """One export of records out of Okoa: who, when, how many, with or without identities, why.

    The reason is the member's own words, which may name people: it is encrypted.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32)
    row_count = models.PositiveIntegerField()
    includes_identities = models.BooleanField()
    reason = EncryptedTextField()
    filters = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("export record")
        verbose_name_plural = _("export records")

    def __str__(self) -> str:
        return f"{self.kind} export of {self.row_count} rows"


class ChangeRecord(models.Model):
    """One change to a record: what kind of change and which fields, never their values."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    record_kind = models.CharField(max_length=32)
    record_code = models.CharField(max_length=32)
    action = models.CharField(max_length=32)
    fields = models.JSONField(default=list)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        indexes = [models.Index(fields=["record_kind", "record_code", "at"])]

    def __str__(self) -> str:
        return f"{self.record_kind} {self.record_code} {self.action}"
