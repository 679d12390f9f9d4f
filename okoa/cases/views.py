"""Case screens: home, list, search, new case, the case page and its forms.

Cases are loaded only through cases/access.py (another organisation's case is the same 404 as a
missing one) and changed only through cases/actions.py. Every page that shows a case leaves an
access record, and a list that shows survivors' names leaves one per case shown. Names, phone
numbers and search text never travel in a URL: search is a POST form answered in its response.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import apply_validation_error, form_status, try_action
from okoa.accounts.models import Capability, Membership, User
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.access import changes_of_record, recent_reads_of_record
from okoa.audit.actions import record_access, record_accesses, record_export
from okoa.cases.access import (
    EXPORT_LIMIT,
    CaseListEntry,
    can_edit_cases,
    can_see_cases,
    can_see_identities,
    case_list_entries,
    case_list_page_for_user,
    cases_for_export,
    cases_for_user,
    get_case_by_reference_for_user,
    get_case_for_user,
)
from okoa.cases.actions import (
    add_case_note,
    assign_case,
    change_case_status,
    open_case,
    update_case,
)
from okoa.cases.forms import (
    REFERENCE_PATTERN,
    AssignForm,
    CaseFilterForm,
    EditCaseForm,
    ExportForm,
    NewCaseForm,
    NoteForm,
    SearchForm,
    StatusForm,
)
from okoa.cases.models import Case, CaseEvent
from okoa.lib.csv_export import stream_csv
from okoa.people.access import Narrowing, get_person_for_user, search_people_for_user
from okoa.people.actions import create_person
from okoa.people.forms import PersonForm, language_label
from okoa.people.models import Person

# More than a caseworker carries at once; the case list shows the rest.
HOME_LIMIT = 100


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The member's open cases; case counts for roles that see statistics, never names."""
    membership = current_membership(request)
    context: dict[str, Any] = {"limit": HOME_LIMIT}
    if can_see_identities(membership):
        mine = cases_for_user(membership).open().assigned_to(signed_in_user(request))
        my_cases = case_list_entries(mine.order_by("-id")[:HOME_LIMIT], with_names=True)
        _record_list_reads(request, membership, my_cases)
        context["my_cases"] = my_cases
        context["my_table_body"] = case_table_body(my_cases, show_names=True)
    if membership is not None and membership.can(Capability.VIEW_STATISTICS):
        context["counts"] = _status_counts(membership)
    return render(request, "cases/home.html", context)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The organisation's cases, newest first, filtered; one keyset page at a time."""
    membership = _viewer(request)
    form = CaseFilterForm(request.GET)
    form.is_valid()
    after = request.GET.get("after", "")[:32] or None
    cases, cursor = case_list_page_for_user(membership, form.filters(), after=after)
    show_names = can_see_identities(membership)
    if show_names:
        _record_list_reads(request, membership, cases)
    context = {
        "form": form,
        "cases": cases,
        "table_body": case_table_body(cases, show_names=show_names),
        "show_names": show_names,
        "next_url": _page_url(request, form, cursor) if cursor else None,
        "first_url": _page_url(request, form, None) if after else None,
    }
    partial = request.headers.get("HX-Request") == "true"
    template = "cases/_case_results.html" if partial else "cases/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find a case by reference, or people by name, phone or document number (POST only)."""
    membership = _viewer(request)
    form = SearchForm(request.POST or None, narrowing=can_see_identities(membership))
    results: list[tuple[Person, list[Case]]] | None = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["q"].strip()
        if re.match(REFERENCE_PATTERN, query):
            case = get_case_by_reference_for_user(membership, _normalise_reference(query))
            if case is not None:
                return redirect("cases:detail", code=case.code)
            results = []
        elif can_see_identities(membership):
            results = _people_with_cases(request, membership, query, form.narrowing())
    context = {"form": form, "results": results, "searched": form.is_bound}
    return render(request, "cases/search.html", context, status=400 if form.errors else 200)


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    """Record a new survivor and open their case, in one step and one transaction."""
    membership = _editor(request)
    person_form = PersonForm(request.POST or None, prefix="person")
    case_form = NewCaseForm(
        request.POST or None,
        prefix="case",
        organisation_id=membership.organisation_id,
        initial={"assigned_to": request.user},
    )
    if request.method == "POST":
        by = signed_in_user(request)
        case = _open_case_for_new_person(person_form, case_form, membership, by=by)
        if case is not None:
            messages.success(request, _("Case %(reference)s is open.") % {"reference": case})
            return redirect("cases:detail", code=case.code)
    context = {"person_form": person_form, "case_form": case_form}
    return render(request, "cases/new_case.html", context, status=form_status(case_form))


@login_required
def open_case_for_person(request: HttpRequest, person_code: str) -> HttpResponse:
    """Open a (further) case for a person already on file."""
    membership = current_membership(request)
    person = get_person_for_user(membership, person_code, write=True)
    assert membership is not None
    form = NewCaseForm(
        request.POST or None,
        organisation_id=membership.organisation_id,
        initial={"assigned_to": request.user},
    )
    if request.method == "POST" and form.is_valid():
        details, assignee = form.case_values(), form.cleaned_data["assigned_to"]
        by = signed_in_user(request)
        case = try_action(form, lambda: open_case(person, by=by, assigned_to=assignee, **details))
        if case is not None:
            messages.success(request, _("Case %(reference)s is open.") % {"reference": case})
            return redirect("cases:detail", code=case.code)
    record_access(
        membership, record_kind="person", record_code=person.code, channel="page", request=request
    )
    context = {"form": form, "person": person}
    return render(request, "cases/case_form.html", context, status=form_status(form))


@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The case page: survivor, trafficking details, timeline, notes and what can be done."""
    membership = current_membership(request)
    case = get_case_for_user(membership, code)
    assert membership is not None
    return _case_page(request, membership, case)


@login_required
def edit_case(request: HttpRequest, code: str) -> HttpResponse:
    """Change a case's trafficking details; an edit based on an outdated copy is refused."""
    membership = current_membership(request)
    case = get_case_for_user(membership, code, write=True)
    assert membership is not None
    form = EditCaseForm(request.POST or None, initial=EditCaseForm.initial_for(case))
    if request.method == "POST" and form.is_valid():
        details, version = form.case_values(), form.cleaned_data["version"]
        by = signed_in_user(request)
        if try_action(form, lambda: update_case(case, by=by, expected_version=version, **details)):
            messages.success(request, _("The changes are saved."))
            return redirect("cases:detail", code=case.code)
    record_access(
        membership, record_kind="case", record_code=case.code, channel="page", request=request
    )
    context = {"form": form, "case": case}
    return render(request, "cases/case_form.html", context, status=form_status(form))


@login_required
@require_POST
def add_note(request: HttpRequest, code: str) -> HttpResponse:
    """Add a note to the case."""
    membership = current_membership(request)
    case = get_case_for_user(membership, code, write=True)
    form = NoteForm(request.POST)
    by = signed_in_user(request)
    return _case_form_sent(
        request,
        membership,
        case,
        "note_form",
        form,
        lambda data: add_case_note(case, body=data["body"], by=by),
        _("The note is saved."),
    )


@login_required
@require_POST
def change_status(request: HttpRequest, code: str) -> HttpResponse:
    """Move the case to one of the statuses its lifecycle allows next."""
    membership = current_membership(request)
    case = get_case_for_user(membership, code, write=True)
    form = StatusForm(request.POST, case=case)
    by = signed_in_user(request)
    return _case_form_sent(
        request,
        membership,
        case,
        "status_form",
        form,
        lambda data: _change_status_unless_closing(membership, case, data, by=by),
        _("The status is changed."),
    )


def _change_status_unless_closing(
    membership: Membership | None, case: Case, data: dict[str, Any], *, by: User
) -> None:
    # Closing needs a supervisor's approval (okoa.care.actions.approve_closure): the plain
    # status form must not be a way around it.
    if data["to"] == Case.Status.CLOSED and not (
        membership and membership.can(Capability.SUPERVISE)
    ):
        raise ValidationError(
            {"to": [_("Only a supervisor closes a case. Request closure instead.")]}
        )
    change_case_status(case, to=data["to"], by=by, reason=data["reason"])


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    """Give the case to a caseworker (supervisors and organisation administrators)."""
    membership = current_membership(request)
    case = get_case_for_user(membership, code, write=True)
    if membership is None or not membership.can(Capability.SUPERVISE):
        raise PermissionDenied(_("Only supervisors assign cases."))
    form = AssignForm(request.POST, case=case)
    by = signed_in_user(request)
    return _case_form_sent(
        request,
        membership,
        case,
        "assign_form",
        form,
        lambda data: assign_case(case, to=data["to"], by=by),
        _("The caseworker is changed."),
    )


# Helpers


def _viewer(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not can_see_cases(membership):
        raise PermissionDenied(_("Your role does not include case files."))
    return membership


def _editor(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not can_edit_cases(membership):
        raise PermissionDenied(_("Your role does not include opening cases."))
    return membership


def case_table_body(cases: list[CaseListEntry], *, show_names: bool) -> SafeString:
    """The ``<tr>`` lines of a case table for a page of case lines (``cases/_case_table.html``
    prints them).

    Written here rather than in the template: the template language resolved some 400
    variables for a page of 25 rows, a fifth of the case list's time. Every value is escaped
    with ``html.escape``, as ``format_html`` escapes a plain string (the lines hold nothing but
    plain strings; ``format_html`` took a tenth of the page's time for 25 rows); the labels
    are the column headings again, for the stacked layout on phones (``data-label``).
    """
    statuses = {value: escape(str(label)) for value, label in Case.Status.choices}
    sexes = {value: escape(str(label)) for value, label in Person.Sex.choices}
    # One reverse per page: codes are URL-safe (okoa.lib.codes), so the rest is concatenation.
    url = escape(reverse("cases:detail", kwargs={"code": "-"}))
    url_head, url_tail = url.rsplit("-", 1)
    reference, survivor, sex, county, types, status, opened, caseworker = (
        escape(_("Reference")),
        escape(_("Survivor")),
        escape(_("Sex")),
        escape(_("County of origin")),
        escape(_("Types of exploitation")),
        escape(_("Status")),
        escape(_("Opened")),
        escape(_("Caseworker")),
    )
    date_format = formats.get_format("SHORT_DATE_FORMAT")
    dates: dict[datetime.date, str] = {}
    lines = []
    for case in cases:
        day = timezone.localtime(case.opened_at).date()
        if day not in dates:
            dates[day] = escape(dateformat.format(day, date_format))
        name = f'<td data-label="{survivor}">{escape(case.survivor)}</td>' if show_names else ""
        lines.append(
            f'<tr><th scope="row" data-label="{reference}">'
            f'<a href="{url_head}{escape(case.code)}{url_tail}">{escape(case.reference)}</a>'
            f"</th>{name}"
            f'<td data-label="{sex}">'
            f"{sexes.get(case.survivor_sex) or escape(case.survivor_sex)}</td>"
            f'<td data-label="{county}">{escape(case.county or "—")}</td>'
            f'<td data-label="{types}">{escape(", ".join(case.types) or "—")}</td>'
            f'<td data-label="{status}"><span class="status status--{escape(case.status)}">'
            f"{statuses.get(case.status) or escape(case.status)}</span></td>"
            f'<td data-label="{opened}">{dates[day]}</td>'
            f'<td data-label="{caseworker}">{escape(case.caseworker or "—")}</td></tr>\n'
        )
    return mark_safe("".join(lines))  # noqa: S308 (every value escaped above)


def _record_list_reads(request: HttpRequest, membership: Any, cases: list[CaseListEntry]) -> None:
    if cases:
        record_accesses(
            membership,
            record_kind="case",
            record_codes=[case.code for case in cases],
            channel="page",
            request=request,
        )


def _status_counts(membership: Membership) -> list[tuple[str, int]]:
    rows = dict(
        cases_for_user(membership).order_by().values_list("status").annotate(number=Count("id"))
    )
    return [(str(status.label), rows.get(status.value, 0)) for status in Case.Status]


def _page_url(request: HttpRequest, form: CaseFilterForm, cursor: str | None) -> str:
    """The list's URL with the current filters (only known ones) and the page cursor."""
    params = QueryDict(mutable=True)
    for name in form.fields:
        if value := request.GET.get(name):
            params[name] = value
    if cursor:
        params["after"] = cursor
    query = params.urlencode()
    return reverse("cases:list") + (f"?{query}" if query else "")


def _normalise_reference(query: str) -> str:
    """``tum-2026-31`` → ``TUM-2026-00031``, as references are written."""
    prefix, year, number = query.split("-")
    return f"{prefix.upper()}-{year}-{int(number):05d}"


def _people_with_cases(
    request: HttpRequest, membership: Membership, query: str, narrowing: Narrowing
) -> list[tuple[Person, list[Case]]]:
    found = search_people_for_user(membership, query, narrowing=narrowing)
    people = [person for person, _score in found]
    cases_by_person: dict[int, list[Case]] = {person.pk: [] for person in people}
    for case in cases_for_user(membership).filter(person__in=people).order_by("-id"):
        cases_by_person[case.person_id].append(case)
    if people:
        record_accesses(
            membership,
            record_kind="person",
            record_codes=[person.code for person in people],
            channel="page",
            request=request,
        )
    return [(person, cases_by_person[person.pk]) for person in people]


def _open_case_for_new_person(
    person_form: PersonForm, case_form: NewCaseForm, membership: Membership, *, by: User
) -> Case | None:
    """Create the person and open the case in one transaction: both are saved, or neither."""
    if not (person_form.is_valid() & case_form.is_valid()):  # both, to show every error at once
        return None
    target: forms.BaseForm = person_form
    try:
        with transaction.atomic():
            person = create_person(
                membership.organisation,
                by=by,
                estimated_age=person_form.age_estimate(),
                **person_form.person_values(),
            )
            target = case_form
            return open_case(
                person,
                by=by,
                assigned_to=case_form.cleaned_data["assigned_to"],
                **case_form.case_values(),
            )
    except ValidationError as error:
        apply_validation_error(target, error)
        return None


def _case_form_sent(
    request: HttpRequest,
    membership: Any,
    case: Case,
    form_name: str,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Run a case page form's action; on errors, show the case page again with them."""
    if form.is_valid() and try_action(form, lambda: act(form.cleaned_data)):
        messages.success(request, done)
        return redirect("cases:detail", code=case.code)
    return _case_page(request, membership, case, status=400, **{form_name: form})


def _case_page(
    request: HttpRequest,
    membership: Membership,
    case: Case,
    *,
    status: int = 200,
    **forms_sent: forms.BaseForm,
) -> HttpResponse:
    identities = can_see_identities(membership)
    record_access(
        membership, record_kind="case", record_code=case.code, channel="page", request=request
    )
    if identities:
        record_access(
            membership,
            record_kind="person",
            record_code=case.person.code,
            channel="page",
            request=request,
        )
    context: dict[str, Any] = {
        "case": case,
        "person": case.person,
        "show_identities": identities,
        "age": case.person.age_on(timezone.localdate()),
        "languages": [language_label(code) for code in case.person.languages or []],
        "timeline": _timeline(case, show_private=identities),
        "notes": list(case.notes.select_related("author")) if identities else [],
        "readers": recent_reads_of_record(membership, record_kind="case", record_code=case.code),
        "changes": changes_of_record(membership, record_kind="case", record_code=case.code),
    }
    if can_edit_cases(membership):
        context["note_form"] = forms_sent.get("note_form") or NoteForm()
        context["status_form"] = forms_sent.get("status_form") or StatusForm(case=case)
        if membership.can(Capability.SUPERVISE):
            context["assign_form"] = forms_sent.get("assign_form") or AssignForm(case=case)
    return render(request, "cases/case_detail.html", context, status=status)


@dataclass
class TimelineEntry:
    """One line of a case's timeline, described for people."""

    event: CaseEvent
    details: list[str] = field(default_factory=list)


def _timeline(case: Case, *, show_private: bool) -> list[TimelineEntry]:
    """The case's events with what they mean; status reasons only for those who see identities
    (they are free text and may name people)."""
    rows = case.events.select_related("by")
    # The words are opened only for those who may read them.
    events = list(rows if show_private else rows.defer("text"))
    codes = {event.data.get("to") for event in events if event.kind == CaseEvent.Kind.ASSIGNED}
    codes.discard(None)
    names = dict(User.objects.filter(code__in=codes).values_list("code", "full_name"))
    return [_describe(event, names, show_private=show_private) for event in events]


def _describe(event: CaseEvent, names: dict[str, str], *, show_private: bool) -> TimelineEntry:
    entry, data = TimelineEntry(event), event.data or {}
    if event.kind in (CaseEvent.Kind.UPDATED, CaseEvent.Kind.PERSON_UPDATED):
        model = Case if event.kind == CaseEvent.Kind.UPDATED else Person
        labels = [_field_label(model, name) for name in data.get("fields", [])]
        if labels:
            entry.details.append(_("Changed: %(fields)s") % {"fields": ", ".join(labels)})
    elif event.kind == CaseEvent.Kind.STATUS_CHANGED:
        entry.details.append(
            _("From “%(from)s” to “%(to)s”")
            % {"from": _status_label(data.get("previous")), "to": _status_label(data.get("to"))}
        )
        if show_private and event.text:
            entry.details.append(_("Reason: %(reason)s") % {"reason": event.text})
    elif event.kind == CaseEvent.Kind.ASSIGNED:
        to = data.get("to")
        name = names.get(to, _("a former member")) if to else _("nobody")
        entry.details.append(_("To %(name)s") % {"name": name})
    return entry


def _field_label(model: type[Any], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field renamed since the event was written
        return name


def _status_label(value: str | None) -> str:
    try:
        return str(Case.Status(value or "").label)
    except ValueError:
        return value or "—"


EXPORT_COLUMNS = [
    "reference",
    "status",
    "opened",
    "closed",
    "sex",
    "year_of_birth",
    "nationality",
    "county_of_origin",
    "sub_county_of_origin",
    "scope",
    "trafficking_status",
    "exploitation_types",
    "labour_industries",
    "methods_of_control",
    "recruitment_method",
    "countries_of_origin",
    "countries_of_transit",
    "countries_of_exploitation",
    "caseworker",
]
IDENTITY_COLUMNS = [
    "given_name",
    "other_names",
    "family_name",
    "phone_numbers",
    "national_id_number",
    "passport_number",
]


@login_required
def export_cases(request: HttpRequest) -> HttpResponse:
    """Export the filtered case list as CSV, with a reason that is logged first."""
    membership = _viewer(request)
    identities_allowed = can_see_identities(membership)
    filter_form = CaseFilterForm(request.POST if request.method == "POST" else request.GET)
    filter_form.is_valid()
    form = ExportForm(request.POST or None, identities_allowed=identities_allowed)
    if request.method == "POST" and form.is_valid():
        with_identities = bool(form.cleaned_data.get("include_identities"))
        cases = list(cases_for_export(membership, filter_form.filters())[: EXPORT_LIMIT + 1])
        if len(cases) > EXPORT_LIMIT:
            form.add_error(
                None,
                _("More than %(limit)s cases match: narrow the filters.") % {"limit": EXPORT_LIMIT},
            )
        else:
            return _csv_response(request, membership, cases, form, filter_form, with_identities)
    context = {"form": form, "filter_form": filter_form}
    return render(request, "cases/export.html", context, status=form_status(form))


def _csv_response(request, membership, cases, form, filter_form, with_identities):
    record_export(
        membership,
        kind="cases",
        row_count=len(cases),
        includes_identities=with_identities,
        reason=form.cleaned_data["reason"],
        filters={
            key: str(value)
            for key, value in filter_form.data.items()
            if key in filter_form.fields and value
        },
    )
    record_accesses(
        membership,
        record_kind="case",
        record_codes=[case.code for case in cases],
        channel="export",
        request=request,
    )
    header = EXPORT_COLUMNS + (IDENTITY_COLUMNS if with_identities else [])
    rows = (_export_row(case, with_identities) for case in cases)
    response = StreamingHttpResponse(stream_csv(header, rows), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="okoa-cases-{stamp}.csv"'
    return response


def _labels(items) -> str:
    return "; ".join(item.label for item in items.all())


def _export_row(case: Case, with_identities: bool) -> list[object]:
    person = case.person
    row: list[object] = [
        case.reference,
        case.get_status_display(),
        case.opened_at.date(),
        case.closed_at.date() if case.closed_at else "",
        person.get_sex_display(),
        person.birth_year or "",
        person.nationality.code if person.nationality else "",
        person.county_of_origin.label if person.county_of_origin else "",
        person.sub_county_of_origin.label if person.sub_county_of_origin else "",
        case.get_scope_display(),
        case.trafficking_status.label if case.trafficking_status else "",
        _labels(case.exploitation_types),
        _labels(case.labour_industries),
        _labels(case.methods_of_control),
        case.recruitment_type.label if case.recruitment_type else "",
        "; ".join(c.code for c in case.countries_of_origin.all()),
        "; ".join(c.code for c in case.countries_of_transit.all()),
        "; ".join(c.code for c in case.countries_of_exploitation.all()),
        case.assigned_to.full_name if case.assigned_to else "",
    ]
    if with_identities:
        row += [
            person.given_name,
            "; ".join(person.other_names or []),
            person.family_name,
            "; ".join(person.phone_numbers or []),
            person.national_id_number,
            person.passport_number,
        ]
    return row
