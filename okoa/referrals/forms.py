"""Forms of consent, referrals, their answers, the lists' filters and the deadlines.

Forms only parse; the actions check (and their errors land on these fields by name).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation
from okoa.directory.models import Service, ServiceKind
from okoa.referrals.models import MINIMUM_SECTIONS, Consent, Referral, Section


class _ScopeFields(forms.Form):
    """Which organisations and which sections a consent (or an override) covers."""

    any_organisation = forms.BooleanField(
        label=_("For a referral to any organisation"), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Or only to these organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sections = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Every referral shares the basic details; tick only what the person agreed to."
        ),
    )

    def __init__(self, *args: Any, own_organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("sections", list(MINIMUM_SECTIONS))
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=own_organisation_id)
            .order_by("name")
        )

    def scope(self) -> dict[str, Any]:
        return {
            "any_organisation": self.cleaned_data["any_organisation"],
            "organisations": list(self.cleaned_data["organisations"]),
            "sections": self.cleaned_data["sections"],
        }


class ConsentForm(_ScopeFields):
    """Consent given by the survivor, or a parent or guardian for a child."""

    given_by = forms.ChoiceField(
        label=_("Consent given by"), choices=Consent.GivenBy.choices, widget=forms.RadioSelect
    )
    given_by_details = forms.CharField(
        label=_("Who, in words"),
        max_length=300,
        required=False,
        help_text=_("For a parent, guardian or somebody else: for example “her mother”."),
    )
    given_on = forms.DateField(
        label=_("Date given"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    field_order = ["given_by", "given_by_details", "given_on"]

    def values(self) -> dict[str, Any]:
        return {
            "given_by": self.cleaned_data["given_by"],
            "given_by_details": self.cleaned_data["given_by_details"],
            "given_on": self.cleaned_data["given_on"],
            **self.scope(),
        }


class ConsentOverrideForm(_ScopeFields):
    """A supervisor's decision to share without consent, and why."""

    override_reason = forms.CharField(
        label=_("Why the details must be shared without consent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    field_order = ["override_reason"]

    def values(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["override_reason"], **self.scope()}


class _ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name}: {obj.name}"


class ReferralForm(forms.Form):
    """A referral: to whom, for what, how urgent, what is shared and why."""

    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Organisation.objects.none(),
        help_text=_(
            "Organisations on a partner's installation show its name after a dot; their "
            "services are not in this directory, so choose the kind of service needed below."
        ),
    )
    service = _ServiceChoice(
        label=_("Service"),
        queryset=Service.objects.none(),
        required=False,
        help_text=_("One of the organisation's services in the directory, if it lists one."),
    )
    service_kind = forms.ChoiceField(
        label=_("Kind of service needed"),
        choices=[("", "—"), *ServiceKind.choices],
        required=False,
        help_text=_("Needed only when you choose no service above."),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Referral.Urgency.choices,
        initial=Referral.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    sections = forms.MultipleChoiceField(
        label=_("What to share"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Share the least the receiver needs. The basic details always go."),
    )
    reason_note = forms.CharField(
        label=_("Why you refer the survivor, and what you ask for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args: Any, own_organisation_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("sections", list(MINIMUM_SECTIONS))
        super().__init__(*args, **kwargs)
        organisations = self.fields["to_organisation"]
        services = self.fields["service"]
        assert isinstance(organisations, forms.ModelChoiceField)
        assert isinstance(services, forms.ModelChoiceField)
        organisations.queryset = (
            Organisation.objects.filter(is_active=True)
            .exclude(pk=own_organisation_id)
            .order_by("name")
        )
        services.queryset = (
            Service.objects.active()
            .exclude(organisation_id=own_organisation_id)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "to_organisation": data["to_organisation"],
            "service": data["service"],
            "service_kind": data["service_kind"],
            "urgency": data["urgency"],
            "sections": data["sections"],
            "reason_note": data["reason_note"],
        }


class _AnswerForm(forms.Form):
    # The version of the referral the page showed: an answer to an outdated page is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(_AnswerForm):
    """Accept the referral."""


class DeclineForm(_AnswerForm):
    reason = forms.ChoiceField(
        label=_("Why you decline"), choices=[("", "—"), *Referral.DeclineReason.choices]
    )
    note = forms.CharField(
        label=_("Note for the sender"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class CompleteForm(_AnswerForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Referral.Outcome.choices])
    note = forms.CharField(
        label=_("About the outcome"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class WithdrawForm(_AnswerForm):
    reason = forms.CharField(
        label=_("Why you withdraw the referral"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReferralFilterForm(forms.Form):
    """The lists' filters (GET: a status and a tick box, nothing about a person)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Referral.Status.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class DeadlinesForm(forms.Form):
    """How many hours receivers have to answer the organisation's referrals."""

    urgent_hours = forms.IntegerField(label=_("Hours to answer an urgent referral"))
    normal_hours = forms.IntegerField(label=_("Hours to answer any other referral"))
