"""Reference data shipped with Okoa: places, countries and the standard vocabularies.

Loaded from the CSV files in ``okoa/reference/data`` by a data migration and by the
``load_reference_data`` command (idempotent). Sources and licences are in ``NOTICE``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualLabelMixin(models.Model):
    """A record with an English name and, where translated, a Kiswahili one."""

    name = models.CharField(_("name"), max_length=200)
    name_sw = models.CharField(_("name in Kiswahili"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, falling back to English."""
        if (get_language() or "en").startswith("sw") and self.name_sw:
            return self.name_sw
        return self.name


class Country(BilingualLabelMixin):
    """A country or territory of ISO 3166-1."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class County(BilingualLabelMixin):
    """One of Kenya's 47 counties, with its official code (1 Mombasa ... 47 Nairobi)."""

    code = models.PositiveSmallIntegerField(_("county code"), unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")


class SubCounty(BilingualLabelMixin):
    """A sub-county of a Kenyan county (the IEBC constituency, with its official code)."""

    code = models.PositiveSmallIntegerField(_("sub-county code"), unique=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="sub_counties")

    class Meta:
        ordering = ["county__name", "name"]
        verbose_name = _("sub-county")
        verbose_name_plural = _("sub-counties")


class CodeList(models.TextChoices):
    """The vocabularies Okoa ships, each from a named standard."""

    # Human Trafficking Case Data Standard (IOM), picklists.
    METHOD_OF_CONTROL = "method_of_control", _("Method of control (HTCDS)")
    EXPLOITATION_TYPE = "exploitation_type", _("Type of exploitation (HTCDS)")
    LABOUR_INDUSTRY = "labour_industry", _("Labour industry (HTCDS)")
    TRAFFICKING_STATUS = "trafficking_status", _("Trafficking status (HTCDS)")
    RECRUITMENT_TYPE = "recruitment_type", _("Recruitment method (HTCDS)")
    # Kenya's counter-trafficking code lists (Palermo elements).
    PALERMO_ACT = "palermo_act", _("Act (Palermo Protocol)")
    PALERMO_MEANS = "palermo_means", _("Means (Palermo Protocol)")
    PALERMO_PURPOSE = "palermo_purpose", _("Purpose (Palermo Protocol)")
    # The ILO's eleven indicators of forced labour.
    ILO_INDICATOR = "ilo_indicator", _("ILO forced labour indicator")


class CodeListItem(BilingualLabelMixin):
    """One value of a code list, with the code its standard gives it."""

    list = models.CharField(_("code list"), max_length=40, choices=CodeList.choices)
    code = models.CharField(_("code"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["list", "sort_order", "name"]
        verbose_name = _("code list item")
        verbose_name_plural = _("code list items")
        constraints = [
            models.UniqueConstraint(fields=["list", "code"], name="code_list_item_unique_code")
        ]
        indexes = [models.Index(fields=["list", "is_active", "sort_order"])]
