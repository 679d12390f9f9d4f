"""The service directory: what each organisation offers survivors, where and to whom.

A *service* is one thing an organisation provides (a shelter, medical care, legal aid...), with
the counties it serves (or the whole country), who is eligible (an age range and the sexes
served), its capacity, its contact points and its opening hours. Contact points are the
organisation's own desks and hotlines, not personal data, so nothing here is encrypted. Each
organisation's administrator keeps its services; every member of every organisation can search
them, which is what a caseworker does before a referral (``okoa.referrals``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation
from okoa.lib.codes import new_code
from okoa.reference.models import County


class ServiceKind(models.TextChoices):
    """What kind of help a service gives; referrals copy it for statistics."""

    SHELTER = "shelter", _("Shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support and counselling")
    LEGAL_AID = "legal_aid", _("Legal aid")
    REPATRIATION = "repatriation", _("Repatriation")
    FAMILY_TRACING = "family_tracing", _("Family tracing and reunification")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    LIVELIHOOD = "livelihood", _("Livelihood and economic support")
    POLICE = "police", _("Police")
    EDUCATION = "education", _("Education and vocational training")
    IDENTITY_DOCUMENTS = "identity_documents", _("Identity documents")
    INTERPRETATION = "interpretation", _("Interpretation")
    OTHER = "other", _("Other")


class ServedSex(models.TextChoices):
    """The sexes a service takes (the values of ``people.Person.Sex``)."""

    FEMALE = "female", _("Women and girls")
    MALE = "male", _("Men and boys")
    OTHER = "other", _("Other")


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> ServiceQuerySet:
        return self.filter(is_active=True, organisation__is_active=True)

    def serving_county(self, county: County | int) -> ServiceQuerySet:
        """Services that serve ``county``: nationwide ones and those that list it."""
        county_id = county.pk if isinstance(county, County) else county
        listing = Service.counties.through.objects.filter(county_id=county_id).values("service_id")
        return self.filter(Q(nationwide=True) | Q(pk__in=listing))


class Service(models.Model):
    """One service an organisation offers, as its administrator describes it.

    ``nationwide`` services serve every county; others serve the ``counties`` listed (at least
    one). ``min_age``/``max_age`` bound the ages taken (either may be empty), ``sexes`` lists the
    sexes taken (empty: everyone). ``capacity`` is how many people the service takes at a time,
    where that is a number (beds, places); ``capacity_note`` says the rest. ``version`` grows
    with every change (optimistic locking). A service is deactivated, never deleted, because
    referrals point to it.
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(_("kind of service"), max_length=24, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    nationwide = models.BooleanField(_("serves the whole country"), default=False)
    counties = models.ManyToManyField(
        County, blank=True, related_name="+", verbose_name=_("counties served")
    )
    min_age = models.PositiveSmallIntegerField(_("youngest age taken"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("oldest age taken"), null=True, blank=True)
    sexes = models.JSONField(_("sexes taken"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    capacity_note = models.CharField(_("about capacity"), max_length=300, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    is_active = models.BooleanField(_("offered now"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name", "id"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="service_age_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__lte=120),
                name="service_min_age_plausible",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(max_age__lte=120),
                name="service_max_age_plausible",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"], name="service_kind_active")]

    def __str__(self) -> str:
        return self.name

    def serves_age(self, age: int | None) -> bool | None:
        """Whether the service takes someone of ``age`` (None when the age is not known)."""
        if age is None:
            return None
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )

    def serves_sex(self, sex: str) -> bool:
        """Whether the service takes someone of ``sex`` (an unknown sex is not refused)."""
        return not self.sexes or sex not in ServedSex.values or sex in self.sexes

    def sex_labels(self) -> list[str]:
        return [str(ServedSex(value).label) for value in self.sexes if value in ServedSex.values]

    def age_range_label(self) -> str:
        """The ages taken, for display: "18 to 35", "from 18", "up to 17" or "all ages"."""
        if self.min_age is not None and self.max_age is not None:
            return gettext("%(low)s to %(high)s") % {"low": self.min_age, "high": self.max_age}
        if self.min_age is not None:
            return gettext("from %(age)s") % {"age": self.min_age}
        if self.max_age is not None:
            return gettext("up to %(age)s") % {"age": self.max_age}
        return gettext("all ages")
