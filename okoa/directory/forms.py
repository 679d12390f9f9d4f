"""Forms of the directory: the search, and a service as its administrator describes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.directory.access import ServiceFilters
from okoa.directory.actions import SERVICE_FIELDS
from okoa.directory.models import ServedSex, ServiceKind
from okoa.reference.models import County


class ServiceSearchForm(forms.Form):
    """Find services by kind and county (GET: nothing here is about a person)."""

    kind = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[("", _("Any kind")), *ServiceKind.choices],
        required=False,
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        required=False,
        empty_label=_("Any county"),
    )

    def filters(self) -> ServiceFilters:
        if not self.is_valid():
            return ServiceFilters()
        county = self.cleaned_data.get("county")
        return ServiceFilters(kind=self.cleaned_data.get("kind") or "", county=county and county.pk)


class ServiceForm(forms.Form):
    """A service of the organisation: what, where, for whom, how many, how to reach it."""

    kind = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As partners know it, for example “Safe house for women, Mombasa”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the service offers and how to refer someone to it."),
    )
    nationwide = forms.BooleanField(label=_("Serves the whole country"), required=False)
    counties = forms.ModelMultipleChoiceField(
        label=_("Counties served"),
        queryset=County.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    min_age = forms.IntegerField(
        label=_("Youngest age taken"), required=False, min_value=0, max_value=120
    )
    max_age = forms.IntegerField(
        label=_("Oldest age taken"), required=False, min_value=0, max_value=120
    )
    sexes = forms.MultipleChoiceField(
        label=_("Takes"),
        choices=ServedSex.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if the service takes everyone."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        help_text=_("How many people at a time (beds, places), where that is a number."),
    )
    capacity_note = forms.CharField(label=_("About capacity"), max_length=300, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    hours = forms.CharField(
        label=_("Hours"),
        max_length=200,
        required=False,
        help_text=_("For example “Monday to Friday 8:00 to 17:00; emergencies at any time”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        """The service fields for the actions (counties separately)."""
        return {name: self.cleaned_data[name] for name in SERVICE_FIELDS}


class ServiceActiveForm(forms.Form):
    """Deactivate a service ("0") or offer it again ("1")."""

    active = forms.ChoiceField(
        label=_("Offered"), choices=[("1", _("Offered")), ("0", _("Not offered"))]
    )
