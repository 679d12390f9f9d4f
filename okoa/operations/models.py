"""Group rescue and repatriation operations.

An *operation* brings a group of people home together, for example 31 people held in compounds
in two countries. It belongs to its *lead* organisation and lists its *partners* (an embassy, an
international organisation, an NGO paying the tickets, the families) with their roles. Its
*manifest* has one *entry* per person: each entry is a case of its own (with its own person) and
has a status that moves along ``ManifestEntry.TRANSITIONS`` from located to received, then with
the family or in a shelter. Moving backward is a *correction* and needs a reason. The
operation's name is not personal data (for example "Compound rescue, November 2026").
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.reference.models import Country


class Operation(models.Model):
    """A group rescue or repatriation, led by one organisation."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="operations"
    )
    name = models.CharField(_("name"), max_length=200)
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries where people are held")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNING
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("operation")
        verbose_name_plural = _("operations")

    def __str__(self) -> str:
        return f"Operation {self.code}"


# Encrypted columns have no length in the database: the form and the action hold the limit.
PARTNER_NAME_LIMIT = 200


class OperationPartner(models.Model):
    """An organisation taking part in an operation, on Okoa or named in free text.

    ``external_name`` and ``notes`` are encrypted: a partner outside Okoa may be a family
    (*families paying*) or a private person, and notes may name the people being brought home.
    An Okoa organisation is the ``organisation`` row, never a name here. Erasure empties the
    notes, and a family's name, once nobody on the operation's manifest is left un-erased (a
    family's name sooner, when it shares a name with the person erased); see
    ``okoa/retention/actions.py``.
    """

    class Role(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
        NGO_PAYING_TICKETS = "ngo_paying_tickets", _("NGO paying tickets")
        FAMILIES_PAYING = "families_paying", _("Families paying")
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    external_name = EncryptedTextField(
        _("name (if not on Okoa)"),
        max_length=PARTNER_NAME_LIMIT,
        blank=True,
        validators=[MaxLengthValidator(PARTNER_NAME_LIMIT)],
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("operation partner")
        verbose_name_plural = _("operation partners")

    def __str__(self) -> str:
        return f"Partner {self.pk} of {self.operation_id}"

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation else self.external_name

    @property
    def names_people(self) -> bool:
        """Whether the name may be people's (shown only to roles that see names): a family
        paying, or a partner outside Okoa of no listed kind ("other": often a private person).
        An embassy, an agency or an organisation on Okoa is named to everybody."""
        return self.organisation_id is None and self.role in (
            self.Role.FAMILIES_PAYING,
            self.Role.OTHER,
        )


class ManifestEntry(models.Model):
    """One person on an operation's manifest, with their own case."""

    class Status(models.TextChoices):
        LOCATED = "located", _("Located")
        RESCUED = "rescued", _("Rescued")
        TRAVEL_DOCUMENTS = "travel_documents", _("Travel documents")
        IN_TRANSIT = "in_transit", _("In transit")
        ARRIVED = "arrived", _("Arrived")
        RECEIVED = "received", _("Received")
        WITH_FAMILY = "with_family", _("With family")
        IN_SHELTER = "in_shelter", _("In shelter")

    # Forward moves; skipping ahead is allowed where it happens (documents issued before the
    # rescue is recorded, people who already hold passports). Backward moves are corrections.
    TRANSITIONS: dict[str, set[str]] = {
        Status.LOCATED: {Status.RESCUED, Status.TRAVEL_DOCUMENTS, Status.IN_TRANSIT},
        Status.RESCUED: {Status.TRAVEL_DOCUMENTS, Status.IN_TRANSIT},
        Status.TRAVEL_DOCUMENTS: {Status.IN_TRANSIT, Status.ARRIVED},
        Status.IN_TRANSIT: {Status.ARRIVED, Status.RECEIVED},
        Status.ARRIVED: {Status.RECEIVED},
        Status.RECEIVED: {Status.WITH_FAMILY, Status.IN_SHELTER},
        Status.WITH_FAMILY: {Status.IN_SHELTER},
        Status.IN_SHELTER: {Status.WITH_FAMILY},
    }

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="entries")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="manifest_entry")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LOCATED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    location_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("where the person is"),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("manifest entry")
        verbose_name_plural = _("manifest entries")
        indexes = [models.Index(fields=["operation", "status"])]

    def __str__(self) -> str:
        return f"Manifest entry {self.pk}"

    def can_move_to(self, status: str) -> bool:
        """Whether ``status`` is a forward move from the current one."""
        return status in self.TRANSITIONS.get(self.status, set())


# The longest correction reason the form and ``change_manifest_status`` accept.
REASON_LIMIT = 500


class ManifestEvent(models.Model):
    """One change of a manifest entry's status (a correction carries its reason).

    The reason is somebody's words about the person, so it is encrypted.
    """

    entry = models.ForeignKey(ManifestEntry, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = EncryptedTextField(max_length=REASON_LIMIT, blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Manifest event {self.pk}"
