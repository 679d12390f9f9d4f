"""Forms of the care pages: a needs assessment, a goal, a service, the follow-up policy."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation
from okoa.care.access import beneficiaries_for_case
from okoa.care.actions import GOAL_FIELDS
from okoa.care.models import (
    MAX_FOLLOW_UP_MONTH,
    MAX_FOLLOW_UP_VISITS,
    MAX_OVERDUE_AFTER_DAYS,
    PROVIDER_NAME_LIMIT,
    BusinessCheck,
    CareArea,
    CareGoal,
    CareService,
    Disbursement,
    FollowUpVisit,
    LegalProcess,
    NeedLevel,
    RiskFactor,
)
from okoa.cases.models import Case
from okoa.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"})


class NeedsAssessmentForm(forms.Form):
    """The level of need in each area of care, on a date."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for area in CareArea:
            self.fields[area.value] = forms.ChoiceField(
                label=area.label,
                choices=NeedLevel.choices,
                initial=NeedLevel.UNKNOWN,
                widget=forms.RadioSelect,
            )
        self.order_fields(["assessed_on", *CareArea.values, "notes"])

    def levels(self) -> dict[str, str]:
        return {area: self.cleaned_data[area] for area in CareArea.values}


class CareGoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Area of care"), choices=CareArea.choices)
    description = forms.CharField(
        label=_("Goal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    target_on = forms.DateField(label=_("Target date"), widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditCareGoalForm(CareGoalForm):
    """A goal of the plan: its status and progress first (what changes most), then its area,
    wording and target date."""

    status = forms.ChoiceField(
        label=_("Status"), choices=CareGoal.Status.choices, widget=forms.RadioSelect
    )
    progress = forms.ChoiceField(
        label=_("Progress"),
        choices=CareGoal.Progress.choices,
        widget=forms.RadioSelect,
        help_text=_("How far the goal has come, while it is open."),
    )
    field_order = ["status", "progress", "target_on", "area", "description", "version"]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in GOAL_FIELDS}


class FollowUpPolicyForm(forms.Form):
    """The organisation's follow-up months, typed as a list, and the days a visit may be late.

    The form only reads the numbers; ``set_follow_up_policy`` decides whether they make a
    schedule (range, order, repeats, how many).
    """

    months = forms.CharField(
        label=_("Months of the follow-up visits"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    overdue_after_days = forms.IntegerField(
        label=_("Days late before a visit counts as overdue"),
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_OVERDUE_AFTER_DAYS}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded here, in the reader's language, because they carry numbers.
        self.fields["months"].help_text = gettext(
            "Months after reintegration starts, in increasing order, separated by commas: "
            "for example 1, 3, 6, 12, 18, 24. From 1 to %(max_month)s, at most %(max_visits)s "
            "visits."
        ) % {"max_month": MAX_FOLLOW_UP_MONTH, "max_visits": MAX_FOLLOW_UP_VISITS}
        self.fields["overdue_after_days"].help_text = gettext(
            "0: a visit not recorded is overdue the day after its due date. At most %(max)s."
        ) % {"max": MAX_OVERDUE_AFTER_DAYS}

    def clean_months(self) -> list[int]:
        text = self.cleaned_data["months"]
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Write the months as whole numbers separated by commas, for example 1, 3, 6.")
            )
        return [int(part) for part in parts]


class CareGoalStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CareGoal.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BeneficiaryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        if person.parent_id is None:
            return str(_("The survivor: %(name)s") % {"name": person.full_name})
        return str(
            _("%(relationship)s: %(name)s")
            % {
                "relationship": person.get_relationship_to_parent_display(),
                "name": person.full_name,
            }
        )


class CareServiceForm(forms.Form):
    """A service of the plan; the same form plans it and records its delivery."""

    beneficiary = BeneficiaryChoice(label=_("For"), queryset=Person.objects.none())
    kind = forms.ChoiceField(label=_("Service"), choices=CareService.Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=CareService.Status.choices, initial=CareService.Status.PLANNED
    )
    provider_organisation = forms.ModelChoiceField(
        label=_("Provided by another organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty when your organisation provides it."),
    )
    provider_name = forms.CharField(
        label=_("Or an outside provider"), max_length=PROVIDER_NAME_LIMIT, required=False
    )
    planned_count = forms.IntegerField(
        label=_("Sessions or items planned"), required=False, min_value=0
    )
    delivered_count = forms.IntegerField(
        label=_("Sessions or items delivered"), required=False, min_value=0, initial=0
    )
    screening_outcome = forms.ChoiceField(
        label=_("Medical screening outcome"),
        choices=CareService.ScreeningOutcome.choices,
        required=False,
        help_text=_("The outcome category only: never write clinical details here."),
    )
    starts_on = forms.DateField(label=_("Starts"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Ends"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["beneficiary"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = beneficiaries_for_case(case).order_by("parent_id", "id")
        other = self.fields["provider_organisation"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = Organisation.objects.exclude(pk=case.organisation_id).order_by("name")

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "version"}
        data["delivered_count"] = data["delivered_count"] or 0
        data["screening_outcome"] = data["screening_outcome"] or ""
        return data


class StartReintegrationForm(forms.Form):
    started_on = forms.DateField(label=_("Reintegration started on"), widget=DATE)


class FollowUpVisitForm(forms.Form):
    """A follow-up visit with its re-trafficking risk assessment; phone-first: radio buttons."""

    visited_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    contact_mode = forms.ChoiceField(
        label=_("Contact"), choices=FollowUpVisit.ContactMode.choices, widget=forms.RadioSelect
    )
    wellbeing = forms.ChoiceField(
        label=_("Wellbeing"), choices=FollowUpVisit.Wellbeing.choices, widget=forms.RadioSelect
    )
    goal_progress = forms.ChoiceField(
        label=_("Progress on the goals"),
        choices=FollowUpVisit.Progress.choices,
        widget=forms.RadioSelect,
    )
    risk_factors = forms.MultipleChoiceField(
        label=_("Re-trafficking risk factors present"),
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The risk level is scored from these factors."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ClosureForm(forms.Form):
    """Request closure, approve or return a request, or reopen: what the status allows."""

    decision = forms.ChoiceField(label=_("What to do"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required, except when approving a closure."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = choices
        if len(choices) == 1:
            decision.initial = choices[0][0]


class LegalProcessForm(forms.ModelForm):
    """The police report, the P3 form, the court case and the survivor's role."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LegalProcess
        fields = [
            "ob_number",
            "police_station",
            "reported_on",
            "p3_status",
            "court_case_number",
            "court",
            "stage",
            "survivor_role",
        ]
        # The numbers are encrypted text fields: one line each, limited by the model's max_length.
        widgets = {
            "ob_number": forms.TextInput,
            "court_case_number": forms.TextInput,
            "reported_on": DATE,
        }


class HearingForm(forms.Form):
    held_on = forms.DateField(label=_("Hearing date"), widget=DATE)


class BusinessPlanForm(forms.Form):
    prefix = "plan"

    business_type = forms.CharField(
        label=_("Type of business"),
        max_length=120,
        help_text=_("For example soap making or a grocery shop."),
    )
    location = forms.CharField(label=_("Location"), max_length=120)
    budget = forms.DecimalField(
        label=_("Budget (KES)"), min_value=0, max_digits=12, decimal_places=2
    )


class DisbursementForm(forms.Form):
    prefix = "payment"

    amount = forms.DecimalField(
        label=_("Amount (KES)"), min_value=0, max_digits=12, decimal_places=2
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    channel = forms.ChoiceField(
        label=_("Paid by"), choices=Disbursement.Channel.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label=_("Transaction reference"),
        max_length=40,
        help_text=_("The M-Pesa confirmation code or the bank reference."),
    )


class BusinessCheckForm(forms.Form):
    prefix = "check"

    month = forms.TypedChoiceField(
        label=_("Month"), choices=[(3, "3"), (6, "6"), (12, "12")], coerce=int
    )
    checked_on = forms.DateField(label=_("Checked on"), widget=DATE)
    state = forms.ChoiceField(
        label=_("The business"), choices=BusinessCheck.State.choices, widget=forms.RadioSelect
    )
