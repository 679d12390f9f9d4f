"""Forms of the operation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation
from okoa.operations.models import (
    PARTNER_NAME_LIMIT,
    REASON_LIMIT,
    ManifestEntry,
    Operation,
    OperationPartner,
)
from okoa.reference.models import Country


class OperationForm(forms.Form):
    """The operation's name (never a person's), countries, status and start date."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("Not a person's name: for example “Compound rescue, November 2026”."),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries where people are held"),
        queryset=Country.objects.all(),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Operation.Status.choices)
    started_on = forms.DateField(
        label=_("Started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PartnerForm(forms.Form):
    """A partner of the operation: an organisation on Okoa, or a name."""

    role = forms.ChoiceField(label=_("Role"), choices=OperationPartner.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation on Okoa"), queryset=Organisation.objects.none(), required=False
    )
    external_name = forms.CharField(
        label=_("Or its name, if it is not on Okoa"),
        max_length=PARTNER_NAME_LIMIT,
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, lead: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.exclude(pk=lead.pk).order_by("name")


class ManifestUploadForm(forms.Form):
    """A manifest file, and whether to import only its valid rows."""

    file = forms.FileField(
        label=_("Manifest file (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    valid_rows_only = forms.BooleanField(
        label=_("Import only the valid rows (the rows with errors are left out)"),
        required=False,
    )


class StatusForm(forms.Form):
    """A new status for one person on the manifest; going back needs a reason."""

    to = forms.ChoiceField(label=_("New status"), choices=ManifestEntry.Status.choices)
    reason = forms.CharField(
        label=_("Reason for a correction"), max_length=REASON_LIMIT, required=False
    )
