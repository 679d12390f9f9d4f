"""Forms of the case screens. They parse input; the actions in cases/actions.py validate it.

Options name records by their code (code-list item ``DebtBondage``, country ``KE``, user code),
never by database id; the case list's filters travel in the query string, so they never carry
names, phone numbers or free text.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import ROLE_CAPABILITIES, Capability, User
from okoa.cases.access import CaseFilters
from okoa.cases.actions import MANY_FIELDS, SINGLE_FIELDS
from okoa.cases.models import Case
from okoa.people.access import Narrowing
from okoa.people.forms import DATE_WIDGET, CodedMultipleChoiceField, country_choices
from okoa.people.models import Person
from okoa.reference.models import CodeList, CodeListItem, Country, County

# Case references look like TUM-2026-00031.
REFERENCE_PATTERN = r"^[A-Za-z]{2,10}-\d{4}-\d{1,6}$"


def code_list(name: str) -> QuerySet[CodeListItem]:
    return CodeListItem.objects.filter(list=name, is_active=True)


def assignable_users(organisation_id: int) -> QuerySet[User]:
    """Active members of the organisation whose role may work on cases."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.EDIT_CASES in caps]
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__is_active=True,
        memberships__role__in=roles,
    ).order_by("full_name")


class CodeListChoiceField(forms.ModelChoiceField):
    def __init__(self, list_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", "—")
        super().__init__(queryset=code_list(list_name), to_field_name="code", **kwargs)


class CodeListCheckboxField(forms.ModelMultipleChoiceField):
    def __init__(self, list_name: str, **kwargs: Any) -> None:
        super().__init__(
            queryset=code_list(list_name),
            to_field_name="code",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python, with the markup of Django's template for it.

    The case list's filters hold some seventy options; the template renders each one with an
    include, which made the filter form a fifth of the page's time.
    """

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        chosen = {str(item) for item in self.format_value(value)}
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


# Counties and types of exploitation change only with a deploy or `load_reference_data`; each
# process keeps their options (per language) for a few minutes instead of reading them per page,
# and the filter form's HTML for the filters last asked for (the same values in the same language
# always give the same HTML).
FILTER_CHOICES_SECONDS = 300
FILTER_FORMS_KEPT = 256
_filter_choices: dict[str, tuple[float, dict[str, Any]]] = {}
_filter_forms: dict[tuple[str, ...], SafeString] = {}


def filter_choices() -> dict[str, Any]:
    """The county and exploitation-type options in the active language, and their ids by code."""
    language = get_language() or "en"
    now = time.monotonic()
    cached = _filter_choices.get(language)
    if cached is not None and now - cached[0] < FILTER_CHOICES_SECONDS:
        return cached[1]
    counties = list(County.objects.all())
    types = list(code_list(CodeList.EXPLOITATION_TYPE))
    choices = {
        "county": [(str(county.code), county.label) for county in counties],
        "county_ids": {str(county.code): county.pk for county in counties},
        "exploitation": [(item.code, item.label) for item in types],
        "exploitation_ids": {item.code: item.pk for item in types},
    }
    _filter_choices[language] = (now, choices)
    _filter_forms.clear()
    return choices


def forget_filter_choices() -> None:
    """Drop this process's cached options and forms (tests that change reference data call it)."""
    _filter_choices.clear()
    _filter_forms.clear()


def _county_options() -> list[tuple[str, str]]:
    return [("", str(_("Any county"))), *filter_choices()["county"]]


def _exploitation_options() -> list[tuple[str, str]]:
    return [("", str(_("Any type"))), *filter_choices()["exploitation"]]


class CaseFilterForm(forms.Form):
    """The case list's filters (a GET form: it works without JavaScript).

    The county and exploitation-type options are callables, read when a value is checked or the
    form is drawn: assigning the ~60 options to every new form cost half of the form's time.
    """

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Case.Status.choices],
        widget=PlainSelect,
    )
    county = forms.ChoiceField(
        label=_("County of origin"), required=False, choices=_county_options, widget=PlainSelect
    )
    exploitation = forms.ChoiceField(
        label=_("Type of exploitation"),
        required=False,
        choices=_exploitation_options,
        widget=PlainSelect,
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Any")), *Person.Sex.choices],
        widget=PlainSelect,
    )
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = filter_choices()

    def rendered_fields(self) -> SafeString:
        """The fields as HTML (``accounts/_field.html`` each), from the cache when it has them."""
        key = (get_language() or "en", *(str(self.data.get(name, "")) for name in self.fields))
        html = _filter_forms.get(key)
        if html is None:
            html = mark_safe(  # noqa: S308 - rendered by the template engine, which escapes
                "".join(
                    render_to_string("accounts/_field.html", {"field": field}) for field in self
                )
            )
            if len(_filter_forms) >= FILTER_FORMS_KEPT:
                _filter_forms.clear()
            _filter_forms[key] = html
        return html

    def filters(self) -> CaseFilters:
        """The valid filters; a filter with a bad value filters nothing (and shows its error)."""
        data = getattr(self, "cleaned_data", {})
        county, exploitation = data.get("county"), data.get("exploitation")
        return CaseFilters(
            status=data.get("status") or "",
            county=self.reference["county_ids"].get(county) if county else None,
            exploitation_type=(
                self.reference["exploitation_ids"].get(exploitation) if exploitation else None
            ),
            sex=data.get("sex") or "",
            assigned_to_me=bool(data.get("mine")),
        )


class CaseForm(forms.Form):
    """A case's trafficking details (HTCDS 2.0)."""

    identified_on = forms.DateField(label=_("Date identified"), required=False, widget=DATE_WIDGET)
    scope = forms.ChoiceField(
        label=_("In-country or transnational"),
        choices=Case.Scope.choices,
        initial=Case.Scope.UNKNOWN,
        widget=forms.RadioSelect,
    )
    trafficking_status = CodeListChoiceField(
        CodeList.TRAFFICKING_STATUS, label=_("Trafficking status")
    )
    countries_of_origin = CodedMultipleChoiceField(label=_("Countries of origin"), required=False)
    countries_of_transit = CodedMultipleChoiceField(label=_("Countries of transit"), required=False)
    countries_of_exploitation = CodedMultipleChoiceField(
        label=_("Countries of exploitation"), required=False
    )
    exploitation_types = CodeListCheckboxField(
        CodeList.EXPLOITATION_TYPE, label=_("Types of exploitation")
    )
    labour_industries = CodeListCheckboxField(
        CodeList.LABOUR_INDUSTRY, label=_("Labour industries")
    )
    methods_of_control = CodeListCheckboxField(
        CodeList.METHOD_OF_CONTROL, label=_("Methods of control")
    )
    recruitment_type = CodeListChoiceField(CodeList.RECRUITMENT_TYPE, label=_("Recruitment method"))
    recruited_on = forms.DateField(label=_("Date recruited"), required=False, widget=DATE_WIDGET)
    exploitation_began_on = forms.DateField(
        label=_("Exploitation began"), required=False, widget=DATE_WIDGET
    )
    exploitation_ended_on = forms.DateField(
        label=_("Exploitation ended"), required=False, widget=DATE_WIDGET
    )
    narrative = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("In the survivor's words where possible. Only caseworkers see this."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        records, choices = country_choices(Country.objects.all())
        for name in ("countries_of_origin", "countries_of_transit", "countries_of_exploitation"):
            field = self.fields[name]
            field.set_records(records, choices)  # type: ignore[attr-defined]
            field.widget.attrs["size"] = 6

    def case_values(self) -> dict[str, Any]:
        """The cleaned details as the case actions take them."""
        return {name: self.cleaned_data[name] for name in (*SINGLE_FIELDS, *MANY_FIELDS)}


class NewCaseForm(CaseForm):
    """A new case's details and its caseworker."""

    assigned_to = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = assignable_users(organisation_id)  # type: ignore[attr-defined]


class EditCaseForm(CaseForm):
    """A case's details for editing, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(case: Case) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(case, name) for name in SINGLE_FIELDS}
        for name in ("countries_of_origin", "countries_of_transit", "countries_of_exploitation"):
            initial[name] = [country.code for country in getattr(case, name).all()]
        for name in ("exploitation_types", "labour_industries", "methods_of_control"):
            initial[name] = list(getattr(case, name).all())
        initial["version"] = case.version
        return initial


class NoteForm(forms.Form):
    """A note on a case."""

    prefix = "note"  # several forms share the case page

    body = forms.CharField(
        label=_("Note"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )


class StatusForm(forms.Form):
    """Move a case to one of the statuses its lifecycle allows next."""

    prefix = "status"  # several forms share the case page

    to = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label) for status in Case.Status if case.can_move_to(status)
        ]


class AssignForm(forms.Form):
    """Give a case to a caseworker (or to nobody)."""

    prefix = "assign"  # several forms share the case page

    to = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = assignable_users(case.organisation_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["to"] = case.assigned_to


class SearchForm(forms.Form):
    """One box: a name, a phone number, an identity or passport number, or a case reference;
    and, to pick one person out among namesakes, the year of birth and county of origin.

    Always sent by POST: what people type here must never reach a URL, a log or a history.
    """

    q = forms.CharField(
        label=_("Name, phone number, ID or passport number, or case reference"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "type": "search"}),
    )
    born = forms.IntegerField(
        label=_("Year of birth (about)"),
        help_text=_("Optional: narrows a common name to people born within two years of it."),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    county = forms.ChoiceField(
        label=_("County of origin"),
        help_text=_("Optional: narrows a common name to people from this county."),
        required=False,
        widget=PlainSelect,
    )

    def __init__(self, *args: Any, narrowing: bool = True, **kwargs: Any) -> None:
        """Without ``narrowing`` (roles that find cases by reference only) just the box."""
        super().__init__(*args, **kwargs)
        if not narrowing:
            del self.fields["born"], self.fields["county"]
            return
        self.reference = filter_choices()
        self.fields["county"].choices = [("", _("Any county")), *self.reference["county"]]  # type: ignore[attr-defined]

    def clean_born(self) -> int | None:
        """A year that has come (max_value would be fixed when the module loads)."""
        born = self.cleaned_data.get("born")
        if born is not None and born > timezone.localdate().year:
            raise forms.ValidationError(_("Enter a year that has already begun."))
        return born

    def narrowing(self) -> Narrowing:
        """The optional details, for ``search_people_for_user``."""
        county = self.cleaned_data.get("county")
        if "county" not in self.fields:
            return Narrowing()
        return Narrowing(
            birth_year=self.cleaned_data.get("born"),
            county_id=self.reference["county_ids"].get(county) if county else None,
        )


class ExportForm(forms.Form):
    """Why an export is made, and whether it must carry names and contacts (minimum: not)."""

    reason = forms.CharField(
        label=_("Why do you need this export?"),
        help_text=_("For example: the quarterly report to the secretariat. It is logged."),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    include_identities = forms.BooleanField(
        label=_("Include names, phone numbers and document numbers"),
        help_text=_("Leave this off unless the purpose really needs them."),
        required=False,
    )

    def __init__(self, *args: object, identities_allowed: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not identities_allowed:
            del self.fields["include_identities"]
