"""Records of the exchange between Okoa installations: partners, their organisations, the outbox,
the inbox and the refusals.

Words used here:

* *installation*: one running Okoa with its own database (an NGO's, the secretariat's). It is
  known to others by its *installation id* and two public keys, published on its *partner card*.
* *partner*: another installation this one exchanges messages with, registered by a site
  administrator from the partner's card.
* *stand-in*: a local ``accounts.Organisation`` without members that represents an organisation
  of a partner, so that local records (referrals) can name it like any organisation.
* *message*: one signed, encrypted envelope (docs/exchange.md), known by its message id (a UUID)
  on both sides: the receiver processes an id once however often it arrives.

Message bodies may carry personal data (a referral's shared sections): they are sealed with the
key ring while waiting in the outbox and emptied once delivered, and never stored on the
receiving side by the transport (the handler of each kind decides what to keep, and how).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedJSONField


class Partner(models.Model):
    """Another Okoa installation this one exchanges messages with.

    Only public keys are stored: the partner's Ed25519 key checks its signatures, its X25519 key
    seals what is sent to it. An inactive partner's messages are refused and nothing is
    delivered to it (its queued messages wait).
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    installation_id = models.CharField(_("installation id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    base_url = models.URLField(_("address"), max_length=300)
    signing_key = models.CharField(_("public signing key"), max_length=64)
    encryption_key = models.CharField(_("public encryption key"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When this installation last heard an answer to a ping of the partner.
    last_pong_at = models.DateTimeField(_("last answer to a ping"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner installation")
        verbose_name_plural = _("partner installations")

    def __str__(self) -> str:
        return self.name

    @property
    def inbox_url(self) -> str:
        """Where this partner receives messages: the API's inbox (``/exchange/inbox/`` before)."""
        return self.base_url.rstrip("/") + "/api/exchange/inbox"


class RemoteOrganisation(models.Model):
    """An organisation of a partner installation, with its local stand-in.

    Learnt from the partner's directory (message kind ``exchange.organisations``). The stand-in
    has no members: nobody signs in as it; it only gives local records something to point at.
    An organisation the partner no longer lists is kept, inactive (records still point at it).
    """

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="organisations")
    remote_code = models.CharField(_("code at the partner"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=Organisation.Kind.choices)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="exchange_remote"
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation of a partner")
        verbose_name_plural = _("organisations of partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "remote_code"], name="one_remote_organisation_per_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.partner})"


class OutboundMessage(models.Model):
    """One message to a partner, kept until the partner acknowledged it.

    Queued in the transaction of the change that sends it, delivered once that commits and
    retried by ``manage.py deliver_exchange_messages`` with a growing delay. ``sending`` holds
    the row for one sender at a time; a sender that died leaves it to be taken again once
    ``next_attempt_at`` has passed. The body is sealed with the key ring and emptied once the
    partner acknowledged it; ``last_error`` names what failed (an HTTP status, a refusal
    reason), never the body.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, will be tried again")
        GIVEN_UP = "given_up", _("Given up")

    MAX_ATTEMPTS = 20

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="outbound")
    kind = models.CharField(_("kind"), max_length=64)
    # Both empty for messages between installations (the directory, pings); else a local
    # organisation and a stand-in of the partner's.
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_reply_to = models.UUIDField(null=True, blank=True)
    body = EncryptedJSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When the partner's answer arrived (a pong for a ping).
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_at__isnull=False),
                name="outbound_message_delivered_has_time",
            ),
            # A delivered message keeps no body: the partner has it.
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(body__isnull=True),
                name="outbound_message_delivered_has_no_body",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_message_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id} ({self.status})"


class InboundMessage(models.Model):
    """A message received from a partner and processed, recorded so that it is processed once.

    The row is written in the transaction that runs the kind's handler: it exists exactly when
    the handler's changes do. No body is kept here.
    """

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="inbound")
    message_id = models.UUIDField()
    kind = models.CharField(_("kind"), max_length=64)
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    in_reply_to = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("written at the partner"))
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField()
    # The same message arriving again (a lost acknowledgement, a replay): answered, not processed.
    duplicates = models.PositiveIntegerField(default=0)
    last_duplicate_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "message_id"], name="one_inbound_message_per_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class RefusedMessage(models.Model):
    """A message the inbox refused: forged, tampered, replayed late, misaddressed, unusable.

    Written outside the refused message's transaction (nothing of it was kept) and without its
    body or header: the reason, what the sender claimed to be, the message id when it could be
    read, and the network address. Rows older than ``RETENTION_DAYS`` are deleted as new ones
    are written.
    """

    RETENTION_DAYS = 90

    class Reason(models.TextChoices):
        MALFORMED = "malformed", _("Not an envelope")
        UNKNOWN_PARTNER = "unknown_partner", _("Unknown sender")
        INACTIVE_PARTNER = "inactive_partner", _("Inactive partner")
        BAD_SIGNATURE = "bad_signature", _("Bad signature")
        WRONG_RECIPIENT = "wrong_recipient", _("Addressed to another installation")
        STALE = "stale", _("Sent too long ago or in the future")
        CONFLICT = "conflict", _("A message id used for another message")
        UNDECRYPTABLE = "undecryptable", _("Does not decrypt")
        UNKNOWN_KIND = "unknown_kind", _("Unknown kind")
        UNKNOWN_ORGANISATION = "unknown_organisation", _("Unknown organisation")
        INVALID_BODY = "invalid_body", _("Invalid content")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.CharField(max_length=24, choices=Reason.choices)
    partner = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="refused"
    )
    claimed_sender = models.CharField(max_length=64, blank=True)
    message_id = models.UUIDField(null=True, blank=True)
    kind = models.CharField(max_length=64, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("refused message")
        verbose_name_plural = _("refused messages")

    def __str__(self) -> str:
        return f"{self.reason} {self.at:%Y-%m-%d %H:%M}"
