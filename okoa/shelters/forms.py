"""Forms of the shelter pages: a shelter, a check-in, a check-out, a month of occupancy.

Forms only parse what was typed; the actions check it (capacity, dates, beds, who fits).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.cases.models import Case
from okoa.people.models import Person
from okoa.reference.models import County
from okoa.shelters.access import Occupancy, people_for_check_in
from okoa.shelters.models import Shelter, ShelterStay

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def now_for_input() -> str:
    """The local time now, as a ``datetime-local`` input shows it."""
    return timezone.localtime().strftime(DATETIME_FORMAT)


class ShelterForm(forms.Form):
    """A shelter's name, county, address, beds and whom it takes."""

    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("The name your staff use; not the address."),
    )
    county = forms.ModelChoiceField(label=_("County"), queryset=County.objects.order_by("name"))
    address = forms.CharField(
        label=_("Address and directions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted and shown only to staff who see names."),
    )
    capacity = forms.IntegerField(label=_("Beds"), widget=forms.NumberInput(attrs={"min": 1}))
    sexes = forms.ChoiceField(
        label=_("Takes"), choices=Shelter.Sexes.choices, widget=forms.RadioSelect
    )
    takes_adults = forms.BooleanField(label=_("Takes adults"), required=False)
    takes_children = forms.BooleanField(label=_("Takes children on their own"), required=False)
    takes_families = forms.BooleanField(
        label=_("Takes families (a survivor with their children or other dependants)"),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Open for check-ins"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class ShelterChoice(forms.ModelChoiceField):
    """A shelter with its free beds in the label."""

    def __init__(self, *args: Any, occupancy: dict[int, Occupancy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.occupancy = occupancy

    def label_from_instance(self, obj: Any) -> str:
        shelter: Shelter = obj
        counted = self.occupancy.get(shelter.pk)
        if counted is None:
            return shelter.name
        return str(
            _("%(name)s (%(county)s): %(free)s of %(capacity)s beds free, %(takes)s")
            % {
                "name": shelter.name,
                "county": shelter.county.label,
                "free": counted.free,
                "capacity": shelter.capacity,
                "takes": shelter.takes_label(),
            }
        )


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        if person.parent_id is None:
            return str(_("The survivor: %(name)s") % {"name": person.display_name})
        return str(
            _("%(relationship)s: %(name)s")
            % {
                "relationship": person.get_relationship_to_parent_display(),
                "name": person.display_name,
            }
        )


class CheckInForm(forms.Form):
    """Check the survivor, their dependants or both into one of the organisation's shelters."""

    shelter = ShelterChoice(
        label=_("Shelter"), queryset=Shelter.objects.none(), occupancy={}, widget=forms.RadioSelect
    )
    people = PersonChoice(
        label=_("Who is checked in"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each person takes a bed."),
    )
    checked_in_at = forms.DateTimeField(label=_("Checked in at"), widget=DATETIME)
    expected_check_out_on = forms.DateField(
        label=_("Expected to leave on"), required=False, widget=DATE
    )
    over_capacity_reason = forms.CharField(
        label=_("Reason for checking in over capacity"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Supervisors only, when the shelter is full."),
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        shelters: list[Occupancy],
        may_override: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        shelter = self.fields["shelter"]
        assert isinstance(shelter, ShelterChoice)
        shelter.occupancy = {counted.shelter.pk: counted for counted in shelters}
        shelter.queryset = Shelter.objects.filter(pk__in=list(shelter.occupancy)).select_related(
            "county"
        )
        people = self.fields["people"]
        assert isinstance(people, PersonChoice)
        people.queryset = people_for_check_in(case).order_by("parent_id", "id")
        if not may_override:
            del self.fields["over_capacity_reason"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("over_capacity_reason", "")
        data["people"] = list(data["people"])
        return data


class CheckOutForm(forms.Form):
    """End a stay: when, why, and whether the dependants leave too."""

    checked_out_at = forms.DateTimeField(label=_("Checked out at"), widget=DATETIME)
    reason = forms.ChoiceField(
        label=_("Why the stay ends"),
        choices=ShelterStay.CheckOutReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    with_dependants = forms.BooleanField(
        label=_("The dependants staying with the survivor leave too"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, dependants_staying: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not dependants_staying:
            del self.fields["with_dependants"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("with_dependants", False)
        return data


class MonthForm(forms.Form):
    """Which month of occupancy to show."""

    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
