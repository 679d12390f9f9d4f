"""Shelters (safe houses) and the stays of the people they take in.

A *shelter* belongs to one organisation: its name, county, number of beds (*capacity*) and whom
it takes (women and girls, men and boys or anyone; adults, children on their own, families). A
*stay* is one person's time in a shelter, from check-in to check-out, under a case: the survivor
or one of the survivor's dependants (a child checked in with their mother occupies a bed too).
*Occupancy* is the number of open stays; the free beds are the capacity less the occupancy. A
supervisor may check people in over capacity, giving the reason.

A safe house's whereabouts are confidential: its address is encrypted, and so are the free-text
reasons and notes of a stay (they may name people). Names of residents come from ``people``.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.people.models import Person
from okoa.reference.models import County

MAX_CAPACITY = 2000


class Shelter(models.Model):
    """A shelter run by an organisation, with its beds and whom it takes.

    ``version`` grows with every change (optimistic locking: see ``actions.update_shelter``).
    """

    class Sexes(models.TextChoices):
        FEMALE = "female", _("Women and girls")
        MALE = "male", _("Men and boys")
        ANY = "any", _("Anyone")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(
        _("name"),
        max_length=120,
        help_text=_("The name your staff use; not the address."),
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county")
    )
    address = EncryptedTextField(
        _("address and directions"),
        blank=True,
        help_text=_("Kept encrypted and shown only to staff who see names."),
    )
    capacity = models.PositiveIntegerField(_("beds"))
    sexes = models.CharField(_("takes"), max_length=8, choices=Sexes.choices, default=Sexes.ANY)
    takes_adults = models.BooleanField(_("takes adults"), default=True)
    takes_children = models.BooleanField(_("takes children on their own"), default=False)
    takes_families = models.BooleanField(
        _("takes families"),
        default=False,
        help_text=_("A survivor with their children or other dependants."),
    )
    is_active = models.BooleanField(_("open for check-ins"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="shelter_name_unique_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MAX_CAPACITY),
                name="shelter_capacity_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Shelter {self.code}"

    def takes_label(self) -> str:
        """Whom the shelter takes, in a few words."""
        groups = [
            str(label)
            for wanted, label in (
                (self.takes_adults, _("adults")),
                (self.takes_children, _("children on their own")),
                (self.takes_families, _("families")),
            )
            if wanted
        ]
        return f"{self.get_sexes_display()}: {', '.join(groups)}"

    def refusal_for(self, person: Person, *, with_family: bool, today: datetime.date) -> str | None:
        """Why the shelter cannot take ``person``, or None if it can.

        A dependant coming with the survivor (``with_family``) needs a shelter that takes
        families; adults must fit the shelter's sexes. A person whose sex or age is not known
        is not refused for it.
        """
        child = person.is_child_on(today)
        refused_sex = (self.sexes == self.Sexes.FEMALE and person.sex == Person.Sex.MALE) or (
            self.sexes == self.Sexes.MALE and person.sex == Person.Sex.FEMALE
        )
        if with_family:
            if not self.takes_families:
                return gettext("This shelter does not take families.")
            if refused_sex and child is not True:
                return gettext("This shelter takes %(sexes)s only.") % {
                    "sexes": self.get_sexes_display().lower()
                }
            return None
        if refused_sex:
            return gettext("This shelter takes %(sexes)s only.") % {
                "sexes": self.get_sexes_display().lower()
            }
        if child is True and not self.takes_children:
            return gettext("This shelter does not take children on their own.")
        if child is False and not self.takes_adults:
            return gettext("This shelter does not take adults.")
        return None


class ShelterStayQuerySet(models.QuerySet["ShelterStay"]):
    def open(self) -> ShelterStayQuerySet:
        """Stays whose person has not checked out: the beds taken now."""
        return self.filter(checked_out_at__isnull=True)

    def on_night_of(self, day: datetime.date) -> ShelterStayQuerySet:
        """Stays of the people in the shelter at the end of ``day`` (the night count)."""
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
        )
        return self.filter(checked_in_at__lt=end_of_day).filter(
            models.Q(checked_out_at__isnull=True) | models.Q(checked_out_at__gte=end_of_day)
        )


class ShelterStay(models.Model):
    """One person's stay in a shelter, under a case: from check-in to check-out.

    The person is the case's survivor or one of the survivor's dependants. A person has at most
    one open stay. A check-in over capacity carries the supervisor who allowed it and the reason;
    a check-out carries its reason. The note and the over-capacity reason are free text and
    encrypted.
    """

    class CheckOutReason(models.TextChoices):
        REINTEGRATED = "reintegrated", _("Reintegrated with family or community")
        INDEPENDENT = "independent", _("Moved to a home of their own")
        TRANSFERRED = "transferred", _("Transferred to another shelter or facility")
        REPATRIATED = "repatriated", _("Repatriated to their country")
        HOSPITAL = "hospital", _("Admitted to hospital")
        LEFT_VOLUNTARILY = "left_voluntarily", _("Left of their own choice")
        LEFT_WITHOUT_NOTICE = "left_without_notice", _("Left without notice")
        OTHER = "other", _("Other reason")

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="stays")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shelter_stays")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="shelter_stays")
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    expected_check_out_on = models.DateField(_("expected to leave on"), null=True, blank=True)
    over_capacity_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("over capacity, allowed by"),
    )
    over_capacity_reason = EncryptedTextField(_("reason for checking in over capacity"), blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checked_out_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    check_out_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=CheckOutReason.choices, blank=True
    )
    check_out_note = EncryptedTextField(_("note"), blank=True)

    objects = ShelterStayQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        verbose_name = _("shelter stay")
        verbose_name_plural = _("shelter stays")
        constraints = [
            # The database's own guard against a person checked in twice (two open stays).
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(checked_out_at__isnull=True),
                name="one_open_stay_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_out_at__gte=models.F("checked_in_at")),
                name="stay_ends_after_it_begins",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(checked_out_at__isnull=True, check_out_reason="")
                    | (models.Q(checked_out_at__isnull=False) & ~models.Q(check_out_reason=""))
                ),
                name="stay_check_out_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["shelter", "checked_out_at"], name="stay_shelter_open"),
            models.Index(fields=["case", "checked_in_at"], name="stay_case"),
        ]

    def __str__(self) -> str:
        return f"Stay {self.code}"

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None

    @property
    def is_dependant(self) -> bool:
        return self.person_id != self.case.person_id

    def nights(self, today: datetime.date) -> int:
        """Nights stayed so far (or in all, once checked out)."""
        end = timezone.localdate(self.checked_out_at) if self.checked_out_at else today
        return max((end - timezone.localdate(self.checked_in_at)).days, 0)

    def is_past_expected_date(self, today: datetime.date) -> bool:
        return bool(
            self.checked_out_at is None
            and self.expected_check_out_on
            and self.expected_check_out_on < today
        )
