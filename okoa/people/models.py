"""People an organisation assists: survivors, presumed victims and their dependants.

Identifiers (names, aliases, date of birth, phones, document numbers) and free text are encrypted
at rest (okoa/lib/fields.py). Attributes needed for counting and filtering (sex, year of birth,
nationality, county of origin) stay in the clear; they identify nobody on their own and the
statistics apply small-cell suppression before anything leaves Okoa.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from okoa.reference.models import Country, County, SubCounty


class PersonQuerySet(models.QuerySet["Person"]):
    def of_organisation(self, organisation: Organisation) -> PersonQuerySet:
        return self.filter(organisation=organisation)


class Person(models.Model):
    """A survivor, presumed victim or dependant, as one organisation knows them.

    A *dependant* (a survivor's child, for example) is a person with ``parent`` set to the
    survivor they depend on; they receive services of their own under the survivor's case.

    ``erased_at`` is set when the person's identity was erased (``okoa.retention``): the
    identifiers are then empty for good, while the attributes that statistics count (sex, year
    of birth, nationality, county of origin, disability) stay.
    """

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    class Relationship(models.TextChoices):
        CHILD = "child", _("Child")
        SPOUSE = "spouse", _("Spouse or partner")
        SIBLING = "sibling", _("Sibling")
        PARENT = "parent", _("Parent")
        OTHER = "other", _("Other dependant")

    class Disability(models.TextChoices):
        NONE = "none", _("None known")
        PHYSICAL = "physical", _("Physical")
        SENSORY = "sensory", _("Visual or hearing")
        INTELLECTUAL = "intellectual", _("Intellectual or learning")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
        MULTIPLE = "multiple", _("More than one")
        UNKNOWN = "unknown", _("Not known")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="people")

    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"), blank=True)
    other_names = EncryptedJSONField(
        _("other names and aliases"),
        default=list,
        blank=True,
        help_text=_("Middle names, aliases and other spellings, one per line."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Derived from the date of birth or the estimated age when saved; kept in the clear so that
    # children can be recognised and counted without decrypting anything.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    birth_year_is_estimated = models.BooleanField(default=False)
    nationality = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nationality"),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone_numbers = EncryptedJSONField(_("phone numbers"), default=list, blank=True)
    national_id_number = EncryptedTextField(_("national identity number"), blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    county_of_origin = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county of origin"),
    )
    sub_county_of_origin = models.ForeignKey(
        SubCounty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sub-county of origin"),
    )
    disability = models.CharField(
        _("disability"), max_length=16, choices=Disability.choices, default=Disability.UNKNOWN
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("dependant of"),
    )
    relationship_to_parent = models.CharField(
        _("relationship"), max_length=16, choices=Relationship.choices, blank=True
    )

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)
    erased_at = models.DateTimeField(_("identity erased"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["organisation", "sex"]),
            models.Index(fields=["organisation", "county_of_origin"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(relationship_to_parent=""),
                name="dependant_has_relationship",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: __str__ ends up in logs, admin messages and error reports.
        return f"Person {self.code}"

    @property
    def full_name(self) -> str:
        """The given, other and family names joined, for display to those who may see them."""
        return join_names(self.given_name, self.other_names, self.family_name)

    @property
    def display_name(self) -> str:
        """The full name, or "Identity erased on DATE" once erased (never an empty heading)."""
        return name_for_display(self.given_name, self.other_names, self.family_name, self.erased_at)

    def age_on(self, day: datetime.date) -> int | None:
        """Age in whole years on ``day`` (approximate when only the birth year is known)."""
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.birth_year:
            return day.year - self.birth_year
        return None

    def is_child_on(self, day: datetime.date) -> bool | None:
        age = self.age_on(day)
        return None if age is None else age < 18


class PersonSearchToken(models.Model):
    """A keyed hash of one search key of a person (name part, phone or document number).

    Stored as a 64-bit integer under the organisation's blind-index key, so search runs as an
    indexed integer lookup and the table reveals no name, number or spelling.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    token = models.BigIntegerField()

    class Meta:
        indexes = [
            # Covering index: lookups never touch the table itself.
            models.Index(fields=["organisation", "token", "person"], name="person_token_lookup"),
        ]

    def __str__(self) -> str:
        return f"search token of person {self.person_id}"


def join_names(given_name: str, other_names: list[str] | None, family_name: str) -> str:
    """The given, other and family names joined (``Person.full_name`` from plain values)."""
    parts = [given_name, *(other_names or []), family_name]
    return " ".join(part for part in parts if part)


def name_for_display(
    given_name: str,
    other_names: list[str] | None,
    family_name: str,
    erased_at: datetime.datetime | None,
) -> str:
    """``Person.display_name`` from plain values (list pages read names without models)."""
    if erased_at is not None:
        day = formats.date_format(timezone.localtime(erased_at), "DATE_FORMAT")
        return gettext("Identity erased on %(date)s") % {"date": day}
    return join_names(given_name, other_names, family_name)


# What a list of people (names only) never needs: not loaded, so never decrypted.
PERSON_FIELDS_NOT_LISTED = (
    "date_of_birth",
    "phone_numbers",
    "national_id_number",
    "passport_number",
)
