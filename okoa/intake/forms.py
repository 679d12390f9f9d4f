"""Forms of intake: the public report and status forms, and the staff's triage forms.

They parse input; the actions in intake/actions.py validate it. Options name records by code
(country ``SA``, user code), never by database id. The queue's filters travel in the query
string, so they hold statuses and channels only, never names, numbers or free text.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from typing import Any

from django import forms
from django.db import connection
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import User
from okoa.cases.forms import assignable_users
from okoa.intake.access import ReportFilters
from okoa.intake.models import Channel, HotlineCall, Report
from okoa.people.forms import LINES_WIDGET, CodedChoiceField, country_choices, lines
from okoa.reference.models import Country

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Who may say who they are on the public form (an organisation uses the staff's channels).
PUBLIC_RELATIONSHIPS = [
    (value, label)
    for value, label in Report.Relationship.choices
    if value not in (Report.Relationship.ORGANISATION, Report.Relationship.UNKNOWN)
]


# The country options per language, built again when the table changes (or after ten minutes:
# a renamed country). Building them loads and sorts some 250 countries: a third of the cost of
# receiving a public report in a surge. They are kept normalised (``Options``): handed to a
# field as they are, not normalised again, item by item, for every form.
_country_options: dict[str, tuple[tuple[int, int], float, tuple[dict[str, Country], Options]]] = {}


class Options(BaseChoiceIterator):
    """Select options already in Django's normalised form (the ``choices`` setter keeps them)."""

    def __init__(self, choices: list[Any]) -> None:
        self.choices = normalize_choices(choices)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


def _country_table_version() -> tuple[int, int]:
    # One small statement on every form: a plain cursor, not the ORM's aggregate machinery.
    table = connection.ops.quote_name(Country._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {table}")  # noqa: S608
        count, last = cursor.fetchone()
    return int(count), int(last or 0)


def _countries(field: forms.Field) -> None:
    version = _country_table_version()
    language = get_language() or ""
    cached = _country_options.get(language)
    if cached is None or cached[0] != version or time.monotonic() - cached[1] > 600:
        by_code, choices = country_choices(Country.objects.all())
        cached = (version, time.monotonic(), (by_code, Options([("", "—"), *choices])))
        _country_options[language] = cached
    by_code, options = cached[2]
    field.records = by_code  # type: ignore[attr-defined]
    field.choices = options  # type: ignore[attr-defined]


class PublicReportForm(forms.Form):
    """The public distress report: short, plain, and usable without JavaScript.

    ``website`` is a honeypot: hidden from people (and screen readers), filled by robots.
    ``submission`` is a random id given with the empty form and sent back with it: sending the
    same form twice (a reload, a double tap) gives the first report back instead of a second.
    """

    location_country = CodedChoiceField(label=_("Country where the person is"), required=False)
    location_city = forms.CharField(
        label=_("City or town"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    narrative = forms.CharField(
        label=_("What is happening?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: where they work, what is being done to them, since when."),
    )
    immediate_danger = forms.ChoiceField(
        label=_("Is anyone in immediate danger?"), choices=YES_NO, widget=forms.RadioSelect
    )
    subject_names = forms.CharField(
        label=_("Name of the person in distress"),
        required=False,
        max_length=2000,
        widget=LINES_WIDGET,
        help_text=_("If you know it. Several people: one name per line."),
    )
    reporter_relationship = forms.ChoiceField(
        label=_("Who are you?"),
        required=False,
        choices=PUBLIC_RELATIONSHIPS,
        widget=forms.RadioSelect,
    )
    reporter_phone = forms.CharField(
        label=_("Your phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("So that we can call you back. For example 0712 345 678."),
    )
    safe_contact = forms.CharField(
        label=_("How can we reach you or them safely?"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: only by WhatsApp message, only after 8 pm, ask for Amina."),
    )
    recruitment_agency = forms.CharField(
        label=_("Recruitment agency (optional)"), max_length=500, required=False
    )
    employer = forms.CharField(label=_("Employer (optional)"), max_length=500, required=False)
    submission = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _countries(self.fields["location_country"])
        if not self.is_bound:
            self.initial["submission"] = secrets.token_urlsafe(16)

    def is_spam(self) -> bool:
        """Whether a robot filled the honeypot."""
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def report_values(self) -> dict[str, Any]:
        """The cleaned values as ``create_report`` takes them."""
        data = self.cleaned_data
        return {
            "location_country": data["location_country"],
            "location_city": data["location_city"],
            "narrative": data["narrative"],
            "immediate_danger": data["immediate_danger"] == "yes",
            "subject_names": lines(data["subject_names"]),
            "reporter_relationship": data["reporter_relationship"] or "",
            "reporter_phone": data["reporter_phone"],
            "safe_contact": data["safe_contact"],
            "recruitment_agency": data["recruitment_agency"],
            "employer": data["employer"],
        }

    def submission_id(self) -> str:
        return (self.cleaned_data.get("submission") or "").strip()


class StatusCheckForm(forms.Form):
    """Reference and PIN, always sent by POST: they must never reach a URL, a log or a history."""

    reference = forms.CharField(
        label=_("Reference"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        help_text=_("For example TUM-R-2026-000123."),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=12,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class StaffReportForm(forms.Form):
    """A report as staff record it (a walk-in, a message on social media, a partner's or the
    police's report) or correct it."""

    channel = forms.ChoiceField(
        label=_("How did it reach us?"), choices=Channel.choices, initial=Channel.WALK_IN
    )
    source_detail = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_(
            "The platform, partner organisation or police station it came from. "
            "Never a person's name."
        ),
    )
    immediate_danger = forms.BooleanField(
        label=_("Somebody is in immediate danger"), required=False
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=Report.Urgency.choices,
        coerce=int,
        initial=Report.Urgency.NORMAL,
    )
    narrative = forms.CharField(
        label=_("What is happening"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    location_country = CodedChoiceField(label=_("Country where they are"), required=False)
    location_city = forms.CharField(label=_("City or town"), max_length=200, required=False)
    location_details = forms.CharField(
        label=_("Place"), max_length=1000, required=False, widget=LINES_WIDGET
    )
    subject_names = forms.CharField(
        label=_("Names of the people in distress"),
        required=False,
        widget=LINES_WIDGET,
        help_text=_("One per line."),
    )
    subject_phone_numbers = forms.CharField(
        label=_("Their phone numbers"), required=False, widget=LINES_WIDGET
    )
    subject_document_numbers = forms.CharField(
        label=_("Their passport or identity numbers"), required=False, widget=LINES_WIDGET
    )
    estimated_people = forms.IntegerField(
        label=_("Number of people in distress"), required=False, min_value=1, max_value=100_000
    )
    reporter_relationship = forms.ChoiceField(
        label=_("Who is reporting"),
        choices=Report.Relationship.choices,
        initial=Report.Relationship.UNKNOWN,
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_phone = forms.CharField(
        label=_("Reporter's phone number"), max_length=40, required=False
    )
    reporter_contact = forms.CharField(
        label=_("Reporter's other contacts"), max_length=500, required=False
    )
    safe_contact = forms.CharField(
        label=_("How to reach them safely"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recruitment_agency = forms.CharField(
        label=_("Recruitment agency"), max_length=500, required=False
    )
    employer = forms.CharField(label=_("Employer"), max_length=500, required=False)

    LIST_FIELDS = ("subject_names", "subject_phone_numbers", "subject_document_numbers")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _countries(self.fields["location_country"])

    def report_values(self) -> dict[str, Any]:
        """The cleaned values as the report actions take them (without the channel)."""
        values = {name: value for name, value in self.cleaned_data.items() if name != "channel"}
        for name in self.LIST_FIELDS:
            values[name] = lines(values[name])
        values.pop("version", None)
        return values


class EditReportForm(StaffReportForm):
    """A report's details for editing, with the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["channel"]

    @staticmethod
    def initial_for(report: Report) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(report, name)
            for name in StaffReportForm.base_fields
            if name not in ("channel", "location_country", *StaffReportForm.LIST_FIELDS)
        }
        for name in StaffReportForm.LIST_FIELDS:
            initial[name] = "\n".join(getattr(report, name) or [])
        initial["location_country"] = (
            report.location_country.code if report.location_country else ""
        )
        initial["version"] = report.version
        return initial


class QueueFilterForm(forms.Form):
    """The triage queue's filters (a GET form: it works without JavaScript)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Waiting or being handled")),
            ("", _("Any status")),
            *Report.Status.choices,
        ],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any channel")), *Channel.choices]
    )
    mine = forms.BooleanField(label=_("Only reports assigned to me"), required=False)

    def filters(self) -> ReportFilters:
        """The valid filters; a filter with a bad value filters nothing (and shows its error).

        Without a status in the query, the queue shows what still needs somebody.
        """
        data = getattr(self, "cleaned_data", {})
        return ReportFilters(
            status=data.get("status", "open") if "status" in self.data else "open",
            channel=data.get("channel") or "",
            assigned_to_me=bool(data.get("mine")),
        )


class AssignReportForm(forms.Form):
    """Give a report to a caseworker (or to nobody)."""

    prefix = "assign"  # several forms share the report page

    to = forms.ModelChoiceField(
        label=_("Caseworker"),
        queryset=User.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = assignable_users(report.organisation_id)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["to"] = report.assigned_to


class ReportStatusForm(forms.Form):
    """Move a report into triage or to being handled, or reopen it (no reason needed)."""

    prefix = "status"

    to = forms.ChoiceField(label=_("New status"))

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [  # type: ignore[attr-defined]
            (status.value, status.label)
            for status in Report.Status
            if report.can_move_to(status)
            and status not in (Report.Status.CLOSED, Report.Status.REFERRED)
        ]


class CloseReportForm(forms.Form):
    """Close a report, with a reason."""

    prefix = "close"

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(reason.value, reason.label) for reason in Report.CLOSING_REASONS],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferReportForm(forms.Form):
    """Refer a report elsewhere: to an organisation or service outside Okoa, with a reason."""

    prefix = "refer"

    referred_to = forms.CharField(
        label=_("Referred to"),
        max_length=500,
        help_text=_("The organisation or service, for example a labour office or a hospital."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(reason.value, reason.label) for reason in Report.REFERRAL_REASONS],
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class GroupIncidentForm(forms.Form):
    """Open a group incident for a report about many people."""

    estimated_size = forms.IntegerField(
        label=_("Estimated number of people"), min_value=1, max_value=100_000
    )
    country = CodedChoiceField(label=_("Country"), required=False)
    location = forms.CharField(
        label=_("Place"), max_length=1000, required=False, widget=LINES_WIDGET
    )
    description = forms.CharField(
        label=_("What is known"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _countries(self.fields["country"])


class HotlineCallForm(forms.Form):
    """One hotline call, logged fast: who called, what about, the number, a few notes."""

    category = forms.ChoiceField(
        label=_("What was the call?"),
        choices=HotlineCall.Category.choices,
        widget=forms.RadioSelect,
    )
    caller_type = forms.ChoiceField(
        label=_("Who called?"),
        choices=HotlineCall.CallerType.choices,
        initial=HotlineCall.CallerType.UNKNOWN,
        widget=forms.RadioSelect,
    )
    caller_phone = forms.CharField(
        label=_("Caller's phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length of the call in minutes"), min_value=0, max_value=24 * 60, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def call_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "category": data["category"],
            "caller_type": data["caller_type"],
            "caller_phone": data["caller_phone"],
            "duration_seconds": (data["duration_minutes"] or 0) * 60,
            "notes": data["notes"],
        }
