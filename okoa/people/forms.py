"""Forms for a person's details. They parse input; the actions in people/actions.py validate it.

Select options name reference records by their code (country ``KE``, county ``47``, sub-county
``290``), never by database id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.people.models import Person
from okoa.reference.models import Country, County, SubCounty

# Languages caseworkers meet most; stored as ISO 639 codes.
LANGUAGE_CHOICES = [
    ("sw", _("Kiswahili")),
    ("en", _("English")),
    ("luo", _("Dholuo")),
    ("kik", _("Gĩkũyũ")),
    ("kam", _("Kikamba")),
    ("luy", _("Luhya")),
    ("so", _("Somali")),
    ("am", _("Amharic")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("rn", _("Kirundi")),
    ("rw", _("Kinyarwanda")),
    ("lg", _("Luganda")),
]

# Countries of origin, transit and destination that Kenyan cases name most, offered first.
COMMON_COUNTRY_CODES = (
    "KE", "UG", "TZ", "ET", "SO", "SS", "RW", "BI", "CD",
    "SA", "AE", "QA", "OM", "KW", "BH", "LB", "JO", "IQ", "MM", "TH", "KH",
)  # fmt: skip

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES_WIDGET = forms.Textarea(attrs={"rows": 2})


def language_label(code: str) -> str:
    """The name of a language code for display (the code itself when Okoa has no name)."""
    return str(dict(LANGUAGE_CHOICES).get(code, code))


def lines(text: str) -> list[str]:
    """Split a one-item-per-line textarea into its non-empty items."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CodedChoiceField(forms.ChoiceField):
    """A select of reference records named by code; cleans to the record (or None)."""

    def set_records(self, records: Mapping[str, Model], choices: Sequence[Any]) -> None:
        self.records = records
        self.choices = [("", "—"), *choices]

    def clean(self, value: Any) -> Model | None:
        code = super().clean(value)
        return self.records.get(code) if code else None


class CodedMultipleChoiceField(forms.MultipleChoiceField):
    """A multiple select of reference records named by code; cleans to a list of records."""

    def set_records(self, records: Mapping[str, Model], choices: Sequence[Any]) -> None:
        self.records = records
        self.choices = choices

    def clean(self, value: Any) -> list[Model]:
        return [self.records[code] for code in super().clean(value)]


def country_choices(countries: Iterable[Country]) -> tuple[dict[str, Country], list[Any]]:
    """Return countries by code, and select options: common ones first, then all others."""
    by_code = {country.code: country for country in countries}
    common = [(code, by_code[code].label) for code in COMMON_COUNTRY_CODES if code in by_code]
    others = sorted(
        (
            (code, country.label)
            for code, country in by_code.items()
            if code not in COMMON_COUNTRY_CODES
        ),
        key=lambda choice: choice[1].casefold(),
    )
    return by_code, [(_("Common"), common), (_("All other countries"), others)]


def sub_county_choices() -> tuple[dict[str, SubCounty], list[Any]]:
    """Return sub-counties by code, and select options grouped by county."""
    by_code: dict[str, SubCounty] = {}
    groups: dict[str, list[tuple[str, str]]] = {}
    for sub_county in SubCounty.objects.select_related("county").order_by("county__name", "name"):
        by_code[str(sub_county.code)] = sub_county
        groups.setdefault(sub_county.county.label, []).append(
            (str(sub_county.code), sub_county.label)
        )
    return by_code, list(groups.items())


class PersonForm(forms.Form):
    """A person's details, as caseworkers record them."""

    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    other_names = forms.CharField(
        label=_("Other names and aliases"),
        required=False,
        widget=LINES_WIDGET,
        help_text=_("Middle names, aliases and other spellings, one per line."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE_WIDGET)
    estimated_age = forms.IntegerField(
        label=_("Estimated age"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Only when the date of birth is not known."),
    )
    nationality = CodedChoiceField(label=_("Nationality"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    phone_numbers = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=LINES_WIDGET,
        help_text=_("One per line, for example 0712 345 678 or +254 712 345 678."),
    )
    national_id_number = forms.CharField(
        label=_("National identity number"), max_length=40, required=False
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=40, required=False)
    county_of_origin = forms.ModelChoiceField(
        label=_("County of origin"),
        queryset=County.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="—",
    )
    sub_county_of_origin = CodedChoiceField(label=_("Sub-county of origin"), required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), choices=Person.Disability.choices, initial=Person.Disability.UNKNOWN
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].set_records(*country_choices(Country.objects.all()))  # type: ignore[attr-defined]
        self.fields["sub_county_of_origin"].set_records(*sub_county_choices())  # type: ignore[attr-defined]
        # Keep languages recorded elsewhere (the API, imports) that the short list lacks.
        known = {code for code, _label in LANGUAGE_CHOICES}
        extra = [code for code in self.initial.get("languages", []) if code not in known]
        if extra:
            self.fields["languages"].choices = [  # type: ignore[attr-defined]
                *LANGUAGE_CHOICES,
                *((code, code) for code in extra),
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date_of_birth") and cleaned.get("estimated_age") is not None:
            self.add_error(
                "estimated_age", _("Give the date of birth or an estimated age, not both.")
            )
        return cleaned

    def person_values(self) -> dict[str, Any]:
        """The cleaned values as the person actions take them (without ``estimated_age``)."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in self.fields
            if name not in {"estimated_age", "version", "other_names", "phone_numbers"}
        }
        values["other_names"] = lines(data["other_names"])
        values["phone_numbers"] = lines(data["phone_numbers"])
        return values

    def age_estimate(self) -> int | None:
        """The estimated age to pass to the action, if any."""
        return self.cleaned_data.get("estimated_age")


class DependantForm(PersonForm):
    """A dependant's details: a person's, and how they are related to the survivor."""

    relationship_to_parent = forms.ChoiceField(
        label=_("Relationship to the survivor"), choices=Person.Relationship.choices
    )


class EditPersonForm(PersonForm):
    """A person's details for editing, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def age_estimate(self) -> int | None:
        """The estimated age only when the editor changed it: passing it again would re-derive
        the year of birth and count as a change on every save."""
        if "estimated_age" in self.changed_data:
            return self.cleaned_data.get("estimated_age")
        return None

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        """The form's initial values from a person."""
        estimated_age = None
        if person.birth_year and person.birth_year_is_estimated and not person.date_of_birth:
            estimated_age = timezone.localdate().year - person.birth_year
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "other_names": "\n".join(person.other_names or []),
            "sex": person.sex,
            "date_of_birth": person.date_of_birth,
            "estimated_age": estimated_age,
            "nationality": person.nationality.code if person.nationality else "",
            "languages": person.languages or [],
            "phone_numbers": "\n".join(person.phone_numbers or []),
            "national_id_number": person.national_id_number,
            "passport_number": person.passport_number,
            "county_of_origin": person.county_of_origin,
            "sub_county_of_origin": (
                str(person.sub_county_of_origin.code) if person.sub_county_of_origin else ""
            ),
            "disability": person.disability,
            "relationship_to_parent": person.relationship_to_parent,
            "version": person.version,
        }


class EditDependantForm(EditPersonForm, DependantForm):
    """A dependant's details for editing."""
