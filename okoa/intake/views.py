"""Intake screens: the public report and status pages; the triage queue, reports, group
incidents and hotline calls for staff.

Public pages need no account and no JavaScript, are never cached, send everything typed (and
reference and PIN) by POST only, and are rate-limited in the database per client address, phone
number and reference. Forms that carry personal data keep it out of error reports
(``sensitive_post_parameters``). A public report is committed, a locked database waited out,
before the page that acknowledges it is sent; if it cannot be saved the form comes back with
everything typed, saying so.

Staff pages load records only through intake/access.py (another organisation's record is the
same 404 as a missing one) and change them only through intake/actions.py. Every page that shows
a report's or a call's details leaves an access record, and people's names shown as possible
duplicates leave one per person.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from okoa.accounts.forms import apply_validation_error, form_status, try_action
from okoa.accounts.models import Membership, User
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import client_address, record_access, record_accesses
from okoa.cases.access import can_see_cases, can_see_identities
from okoa.cases.forms import NewCaseForm
from okoa.intake.access import (
    attachments_of_report_for_user,
    call_counts_for_user,
    can_edit_intake,
    can_open_cases_from_reports,
    can_see_intake,
    cases_of_report_for_user,
    earlier_calls_for_user,
    get_attachment_for_user,
    get_call_for_user,
    get_group_incident_for_user,
    get_report_for_user,
    group_members_for_user,
    normalise_reference,
    possible_duplicates_for_user,
    public_stage_for,
    recent_calls_for_user,
    report_queue_for_user,
    reports_with_phone_for_user,
)
from okoa.intake.actions import (
    RateLimited,
    add_person_to_group_incident,
    assign_report,
    change_report_status,
    close_report,
    count_attempt,
    create_report_from_call,
    log_hotline_call,
    open_case_from_report,
    open_group_incident,
    receive_report,
    refer_report,
    update_report,
    with_database_retry,
)
from okoa.intake.channels.email import ALLOWED_TYPES
from okoa.intake.forms import (
    AssignReportForm,
    CloseReportForm,
    EditReportForm,
    GroupIncidentForm,
    HotlineCallForm,
    PublicReportForm,
    QueueFilterForm,
    ReferReportForm,
    ReportStatusForm,
    StaffReportForm,
    StatusCheckForm,
)
from okoa.intake.models import Channel, Report, ReportAttachment, ReportEvent
from okoa.lib import names
from okoa.people.forms import PersonForm

logger = logging.getLogger(__name__)


# Public pages


@sensitive_post_parameters()
@never_cache
def public_report(request: HttpRequest) -> HttpResponse:
    """The public distress report: no account, no JavaScript, answered with reference and PIN."""
    form = PublicReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_spam():
            return _refuse_robot(request)
        if form.is_valid():
            return _receive_public_report(request, form)
    return _public_form(request, form, status=form_status(form))


def _public_form(
    request: HttpRequest, form: PublicReportForm, *, status: int, **context: Any
) -> HttpResponse:
    return render(request, "intake/public_report.html", {"form": form, **context}, status=status)


def _refuse_robot(request: HttpRequest) -> HttpResponse:
    # Nothing is saved. A person whose browser filled the hidden field by mistake gets the form
    # back with everything they typed, the hidden field emptied, and can send it again.
    data = request.POST.copy()
    data["website"] = ""
    return _public_form(request, PublicReportForm(data), status=400, check_again=True)


def _receive_public_report(request: HttpRequest, form: PublicReportForm) -> HttpResponse:
    address = client_address(request) or "unknown"
    phone = names.normalise_phone(form.cleaned_data["reporter_phone"])
    limits = [("report_address", address), *([("report_phone", phone)] if phone else [])]
    try:
        received = receive_report(
            channel=Channel.WEB,
            by=None,
            external_id=form.submission_id(),
            language=get_language() or "",
            limits=limits,
            **form.report_values(),
        )
    except RateLimited:
        return _public_form(request, form, status=429, rate_limited=True)
    except ValidationError as error:
        apply_validation_error(form, error)
        return _public_form(request, form, status=400)
    except (OperationalError, ImproperlyConfigured):
        # Opaque: the error names no person. The form comes back with everything typed.
        logger.exception("A public report could not be saved.")
        return _public_form(request, form, status=503, not_saved=True)
    context = {"reference": received.report.reference, "pin": received.pin}
    return render(request, "intake/public_report_received.html", context)


def _attempt_allowed(scope: str, value: str) -> bool:
    return with_database_retry(lambda: count_attempt(scope, value))


@sensitive_post_parameters()
@never_cache
def public_status(request: HttpRequest) -> HttpResponse:
    """Given reference and PIN (by POST), show the report's stage and nothing else."""
    form = StatusCheckForm(request.POST if request.method == "POST" else None)
    stage = None
    status = 200
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["reference"]
        reference = normalise_reference(typed) or typed.strip().upper()
        address = client_address(request) or "unknown"
        try:
            allowed = _attempt_allowed("status_address", address) and _attempt_allowed(
                "status_reference", reference
            )
        except OperationalError:
            logger.exception("A status check could not be counted.")
            allowed = False
        if not allowed:
            context = {"form": StatusCheckForm(), "rate_limited": True}
            return render(request, "intake/public_status.html", context, status=429)
        found = public_stage_for(reference, form.cleaned_data["pin"])
        if found is None:
            # The same answer for a wrong reference and a wrong PIN: no oracle.
            form.add_error(
                None,
                _("We found no report with this reference and PIN. Check both and try again."),
            )
        else:
            stage = Report.PublicStage(found)
    if form.is_bound and stage is None:
        status = 400
    return render(
        request, "intake/public_status.html", {"form": form, "stage": stage}, status=status
    )


# The triage queue and reports


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for triage or being handled: most urgent first, then the oldest."""
    membership = _viewer(request)
    form = QueueFilterForm(request.GET)
    form.is_valid()
    after = request.GET.get("after", "")[:32] or None
    reports, cursor = report_queue_for_user(membership, form.filters(), after=after)
    context = {
        "form": form,
        "reports": reports,
        "next_url": _page_url(request, form, cursor) if cursor else None,
        "first_url": _page_url(request, form, None) if after else None,
        "can_edit": can_edit_intake(membership),
    }
    return render(request, "intake/queue.html", context)


@sensitive_post_parameters()
@never_cache
@login_required
def new_report(request: HttpRequest) -> HttpResponse:
    """Record a report that reached staff: a walk-in, social media, a partner, the police."""
    membership = _editor(request)
    form = StaffReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        values = form.report_values()
        received = _try(
            form,
            lambda: receive_report(
                membership.organisation,
                channel=form.cleaned_data["channel"],
                by=signed_in_user(request),
                **values,
            ),
        )
        if received is not None:
            return render(request, "intake/report_created.html", {"received": received})
    return render(request, "intake/report_form.html", {"form": form}, status=form_status(form))


@login_required
def report_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The report page: what was reported, possible duplicates, cases, timeline, next steps."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code)
    assert membership is not None
    return _report_page(request, membership, report)


@never_cache
@login_required
@require_GET
def attachment(request: HttpRequest, code: str) -> HttpResponse:
    """Download a file that came with a report (never shown in the page: it may be hostile)."""
    membership = current_membership(request)
    attachment = get_attachment_for_user(membership, code)
    assert membership is not None
    record_access(
        membership,
        record_kind="report_attachment",
        record_code=attachment.code,
        channel="page",
        request=request,
    )
    return _download(attachment)


@sensitive_post_parameters()
@login_required
def edit_report(request: HttpRequest, code: str) -> HttpResponse:
    """Correct or complete a report; an edit based on an outdated copy is refused."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code, write=True)
    assert membership is not None
    form = EditReportForm(
        request.POST if request.method == "POST" else None,
        initial=EditReportForm.initial_for(report),
    )
    if request.method == "POST" and form.is_valid():
        version, values = form.cleaned_data["version"], form.report_values()
        by = signed_in_user(request)
        if _try(form, lambda: update_report(report, by=by, expected_version=version, **values)):
            messages.success(request, _("The changes are saved."))
            return redirect("intake:report", code=report.code)
    _record_report_read(request, membership, report)
    context = {"form": form, "report": report}
    return render(request, "intake/report_form.html", context, status=form_status(form))


@login_required
@require_POST
def assign(request: HttpRequest, code: str) -> HttpResponse:
    """Give the report to a caseworker (it moves into triage if it was waiting)."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code, write=True)
    form = AssignReportForm(request.POST, report=report)
    by = signed_in_user(request)
    return _report_form_sent(
        request,
        report,
        "assign_form",
        form,
        lambda data: assign_report(report, to=data["to"], by=by),
        _("The report is assigned."),
    )


@login_required
@require_POST
def change_status(request: HttpRequest, code: str) -> HttpResponse:
    """Move the report into triage, to being handled, or reopen it."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code, write=True)
    form = ReportStatusForm(request.POST, report=report)
    by = signed_in_user(request)
    return _report_form_sent(
        request,
        report,
        "status_form",
        form,
        lambda data: change_report_status(report, to=data["to"], by=by),
        _("The status is changed."),
    )


@sensitive_post_parameters()
@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    """Close the report with a reason."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code, write=True)
    form = CloseReportForm(request.POST)
    by = signed_in_user(request)
    return _report_form_sent(
        request,
        report,
        "close_form",
        form,
        lambda data: close_report(report, reason=data["reason"], note=data["note"], by=by),
        _("The report is closed."),
    )


@sensitive_post_parameters()
@login_required
@require_POST
def refer(request: HttpRequest, code: str) -> HttpResponse:
    """Refer the report to an organisation or service outside Okoa, with a reason."""
    membership = current_membership(request)
    report = get_report_for_user(membership, code, write=True)
    form = ReferReportForm(request.POST)
    by = signed_in_user(request)
    return _report_form_sent(
        request,
        report,
        "refer_form",
        form,
        lambda data: refer_report(
            report, to=data["referred_to"], reason=data["reason"], note=data["note"], by=by
        ),
        _("The report is referred."),
    )


@sensitive_post_parameters()
@login_required
def open_case(request: HttpRequest, code: str) -> HttpResponse:
    """Record one person the report is about and open their case (both, or neither)."""
    membership = _case_opener(request)
    report = get_report_for_user(membership, code, write=True)
    person_form, case_form = _person_and_case_forms(
        request, membership, _person_initial(report), _case_initial(report, request)
    )
    if request.method == "POST":
        by = signed_in_user(request)
        case = _open_from_forms(
            person_form,
            case_form,
            lambda person, details, assigned, age: open_case_from_report(
                report,
                by=by,
                person_values=person,
                case_details=details,
                assigned_to=assigned,
                estimated_age=age,
            ),
        )
        if case is not None:
            messages.success(request, _("Case %(reference)s is open.") % {"reference": case})
            return redirect("cases:detail", code=case.code)
    _record_report_read(request, membership, report)
    context = {"report": report, "person_form": person_form, "case_form": case_form}
    return render(request, "intake/open_case.html", context, status=form_status(case_form))


@sensitive_post_parameters()
@login_required
def open_group(request: HttpRequest, code: str) -> HttpResponse:
    """Open a group incident for a report about many people."""
    membership = _case_opener(request)
    report = get_report_for_user(membership, code, write=True)
    initial = {
        "estimated_size": report.estimated_people,
        "country": report.location_country.code if report.location_country else "",
    }
    form = GroupIncidentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, by = form.cleaned_data, signed_in_user(request)
        incident = _try(
            form,
            lambda: open_group_incident(
                report,
                by=by,
                estimated_size=data["estimated_size"],
                country=data["country"],
                location=data["location"],
                description=data["description"],
            ),
        )
        if incident is not None:
            messages.success(
                request, _("The group incident is open: add people as they are known.")
            )
            return redirect("intake:group", code=incident.code)
    context = {"report": report, "form": form}
    return render(request, "intake/group_form.html", context, status=form_status(form))


@login_required
def group_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A group incident: how many people were reported, and those added so far."""
    membership = current_membership(request)
    incident = get_group_incident_for_user(membership, code)
    assert membership is not None
    members = group_members_for_user(membership, incident)
    show_names = can_see_identities(membership)
    record_access(
        membership,
        record_kind="group_incident",
        record_code=incident.code,
        channel="page",
        request=request,
    )
    if show_names and members:
        record_accesses(
            membership,
            record_kind="person",
            record_codes=[member.case.person.code for member in members],
            channel="page",
            request=request,
        )
    context = {
        "incident": incident,
        "members": members,
        "missing": max(incident.estimated_size - len(members), 0),
        "show_names": show_names,
        "show_cases": can_see_cases(membership),
        "can_add": can_open_cases_from_reports(membership),
    }
    return render(request, "intake/group_detail.html", context)


@sensitive_post_parameters()
@login_required
def add_to_group(request: HttpRequest, code: str) -> HttpResponse:
    """Add one more person of a group incident, with a case of their own."""
    membership = _case_opener(request)
    incident = get_group_incident_for_user(membership, code, write=True)
    case_initial = {
        "assigned_to": request.user,
        "countries_of_exploitation": [incident.country.code] if incident.country else [],
    }
    person_form, case_form = _person_and_case_forms(request, membership, {}, case_initial)
    if request.method == "POST":
        by = signed_in_user(request)
        case = _open_from_forms(
            person_form,
            case_form,
            lambda person, details, assigned, age: add_person_to_group_incident(
                incident,
                by=by,
                person_values=person,
                case_details=details,
                assigned_to=assigned,
                estimated_age=age,
            ),
        )
        if case is not None:
            messages.success(
                request, _("Case %(reference)s is open and in the group.") % {"reference": case}
            )
            return redirect("intake:group", code=incident.code)
    context = {"incident": incident, "person_form": person_form, "case_form": case_form}
    return render(request, "intake/group_add_person.html", context, status=form_status(case_form))


# Hotline calls


@login_required
def calls(request: HttpRequest) -> HttpResponse:
    """Today's count of real contacts and other calls, and the latest calls."""
    membership = _viewer(request)
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    contacts, others = call_counts_for_user(membership, since=today)
    context = {
        "calls": recent_calls_for_user(membership),
        "contacts_today": contacts,
        "others_today": others,
        "can_edit": can_edit_intake(membership),
    }
    return render(request, "intake/call_list.html", context)


@sensitive_post_parameters()
@login_required
def new_call(request: HttpRequest) -> HttpResponse:
    """Log a call as it ends: every call, including silent and prank ones."""
    membership = _editor(request)
    form = HotlineCallForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        values = form.call_values()
        started_at = timezone.now() - datetime.timedelta(seconds=values["duration_seconds"])
        by = signed_in_user(request)
        call = _try(
            form,
            lambda: log_hotline_call(
                membership.organisation, by=by, started_at=started_at, **values
            ),
        )
        if call is not None:
            messages.success(request, _("The call is logged."))
            return redirect("intake:call", code=call.code)
    return render(request, "intake/call_form.html", {"form": form}, status=form_status(form))


@login_required
def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One call: repeat caller (earlier calls and reports from the number) and its report."""
    membership = current_membership(request)
    call = get_call_for_user(membership, code)
    assert membership is not None
    earlier_count, earlier = earlier_calls_for_user(membership, call)
    record_access(
        membership,
        record_kind="hotline_call",
        record_code=call.code,
        channel="page",
        request=request,
    )
    context = {
        "call": call,
        "earlier_count": earlier_count,
        "earlier": earlier,
        "reports_from_number": [
            report
            for report in reports_with_phone_for_user(membership, call.caller_phone)
            if report.pk != call.report_id
        ],
        "can_edit": can_edit_intake(membership),
    }
    return render(request, "intake/call_detail.html", context)


@never_cache
@login_required
@require_POST
def report_from_call(request: HttpRequest, code: str) -> HttpResponse:
    """One click: a report pre-filled with the call's details (the same report if clicked
    again)."""
    membership = current_membership(request)
    call = get_call_for_user(membership, code, write=True)
    try:
        received = with_database_retry(
            lambda: create_report_from_call(call, by=signed_in_user(request))
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("intake:call", code=call.code)
    if not received.created:
        return redirect("intake:report", code=received.report.code)
    return render(request, "intake/report_created.html", {"received": received})


# Helpers


def _viewer(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not can_see_intake(membership):
        raise PermissionDenied(_("Your role does not include reports and hotline calls."))
    return membership


def _editor(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not can_edit_intake(membership):
        raise PermissionDenied(_("Your role does not include recording reports and calls."))
    return membership


def _case_opener(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not can_open_cases_from_reports(membership):
        raise PermissionDenied(_("Your role does not include opening cases."))
    return membership


def _try(form: forms.BaseForm, act: Callable[[], Any]) -> Any:
    """Run an action; on a ValidationError show it on ``form`` and return None.

    A database still locked after the retries is shown the same way: the form comes back with
    everything typed, saying that nothing was saved.
    """
    try:
        return try_action(form, act)
    except OperationalError:
        logger.exception("An intake form could not be saved.")
        form.add_error(None, _("Okoa is very busy and nothing was saved. Send the form again."))
        return None


def _page_url(request: HttpRequest, form: QueueFilterForm, cursor: str | None) -> str:
    """The queue's URL with the current filters (only known ones) and the page cursor."""
    params = QueryDict(mutable=True)
    for name in form.fields:
        if name in request.GET:
            params[name] = request.GET[name]
    if cursor:
        params["after"] = cursor
    query = params.urlencode()
    return reverse("intake:queue") + (f"?{query}" if query else "")


def _download(attachment: ReportAttachment) -> HttpResponse:
    """The file as a download: a type the intake accepts (else octet-stream), a file name made
    of the report's reference (the sender's may name a person), never sniffed, never cached."""
    content_type = attachment.content_type
    suffixes = ALLOWED_TYPES[content_type][0] if content_type in ALLOWED_TYPES else ("",)
    if content_type not in ALLOWED_TYPES:
        content_type = "application/octet-stream"
    elif content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(bytes(attachment.content), content_type=content_type)
    name = f"{attachment.report.reference}-{attachment.code[:8]}{suffixes[0]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser render it after all: no script, no plugin, no request, its own origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    add_never_cache_headers(response)
    return response


def _record_report_read(request: HttpRequest, membership: Membership, report: Report) -> None:
    record_access(
        membership, record_kind="report", record_code=report.code, channel="page", request=request
    )


def _report_form_sent(
    request: HttpRequest,
    report: Report,
    form_name: str,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Run a report page form's action; on errors, show the report page again with them."""
    if form.is_valid() and _try(form, lambda: act(form.cleaned_data)):
        messages.success(request, done)
        return redirect("intake:report", code=report.code)
    membership = current_membership(request)
    assert membership is not None
    return _report_page(request, membership, report, status=400, **{form_name: form})


def _report_page(
    request: HttpRequest,
    membership: Membership,
    report: Report,
    *,
    status: int = 200,
    **forms_sent: forms.BaseForm,
) -> HttpResponse:
    _record_report_read(request, membership, report)
    duplicates = possible_duplicates_for_user(membership, report)
    if duplicates.people:
        record_accesses(
            membership,
            record_kind="person",
            record_codes=[match.record.code for match in duplicates.people],
            channel="page",
            request=request,
        )
    events = list(report.events.select_related("by"))
    context: dict[str, Any] = {
        "report": report,
        "duplicates": duplicates,
        "cases": cases_of_report_for_user(membership, report),
        "attachments": attachments_of_report_for_user(membership, report),
        "groups": list(report.group_incidents.order_by("id")),
        "call": getattr(report, "hotline_call", None),
        "timeline": _timeline(events),
        "show_cases": can_see_cases(membership),
        "can_open_cases": can_open_cases_from_reports(membership),
    }
    if can_edit_intake(membership):
        context["assign_form"] = forms_sent.get("assign_form") or AssignReportForm(report=report)
        status_form = forms_sent.get("status_form") or ReportStatusForm(report=report)
        if status_form.fields["to"].choices:  # type: ignore[attr-defined]
            context["status_form"] = status_form
        if report.can_move_to(Report.Status.CLOSED):
            context["close_form"] = forms_sent.get("close_form") or CloseReportForm()
        if report.can_move_to(Report.Status.REFERRED):
            context["refer_form"] = forms_sent.get("refer_form") or ReferReportForm()
    return render(request, "intake/report_detail.html", context, status=status)


@dataclass
class TimelineEntry:
    """One line of a report's timeline, described for people."""

    event: ReportEvent
    details: list[str] = field(default_factory=list)


def _timeline(events: list[ReportEvent]) -> list[TimelineEntry]:
    codes = {event.data.get("to") for event in events if event.kind == ReportEvent.Kind.ASSIGNED}
    codes.discard(None)
    names_by_code = dict(User.objects.filter(code__in=codes).values_list("code", "full_name"))
    return [_describe(event, names_by_code) for event in events]


def _describe(event: ReportEvent, names_by_code: dict[str, str]) -> TimelineEntry:
    entry, data = TimelineEntry(event), event.data or {}
    if event.kind == ReportEvent.Kind.STATUS_CHANGED:
        entry.details.append(
            _("From “%(from)s” to “%(to)s”")
            % {
                "from": _label(Report.Status, data.get("previous")),
                "to": _label(Report.Status, data.get("to")),
            }
        )
        if data.get("reason"):
            entry.details.append(
                _("Reason: %(reason)s") % {"reason": _label(Report.Outcome, data["reason"])}
            )
    elif event.kind == ReportEvent.Kind.ASSIGNED:
        to = data.get("to")
        name = names_by_code.get(to, _("a former member")) if to else _("nobody")
        entry.details.append(_("To %(name)s") % {"name": name})
    elif event.kind == ReportEvent.Kind.UPDATED:
        labels = [_field_label(name) for name in data.get("fields", [])]
        entry.details.append(_("Changed: %(fields)s") % {"fields": ", ".join(labels)})
    elif event.kind in (ReportEvent.Kind.RECEIVED, ReportEvent.Kind.MESSAGE_ADDED):
        entry.details.append(_label(Channel, data.get("channel")))
    return entry


def _label(choices: Any, value: str | None) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def _field_label(name: str) -> str:
    try:
        return str(Report._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:  # a field renamed since the event was written
        return name


def _person_initial(report: Report) -> dict[str, Any]:
    """A person form pre-filled from the report (when it names exactly one person)."""
    initial: dict[str, Any] = {}
    if len(report.subject_names or []) == 1:
        given, _space, family = report.subject_names[0].partition(" ")
        initial.update(given_name=given, family_name=family)
    if report.subject_phone_numbers:
        initial["phone_numbers"] = "\n".join(report.subject_phone_numbers)
    if len(report.subject_document_numbers or []) == 1:
        initial["passport_number"] = report.subject_document_numbers[0]
    return initial


def _case_initial(report: Report, request: HttpRequest) -> dict[str, Any]:
    country = report.location_country
    return {
        "assigned_to": report.assigned_to or request.user,
        "narrative": report.narrative,
        "countries_of_exploitation": [country.code] if country else [],
        "scope": "transnational" if country and country.code != "KE" else "unknown",
    }


def _person_and_case_forms(
    request: HttpRequest,
    membership: Membership,
    person_initial: dict[str, Any],
    case_initial: dict[str, Any],
) -> tuple[PersonForm, NewCaseForm]:
    data = request.POST if request.method == "POST" else None
    person_form = PersonForm(data, prefix="person", initial=person_initial)
    case_form = NewCaseForm(
        data, prefix="case", organisation_id=membership.organisation_id, initial=case_initial
    )
    return person_form, case_form


def _open_from_forms(
    person_form: PersonForm,
    case_form: NewCaseForm,
    act: Callable[[dict[str, Any], dict[str, Any], User | None, int | None], Any],
) -> Any:
    """Run an action that records a person and opens a case; errors go to the right form."""
    if not (person_form.is_valid() & case_form.is_valid()):  # both, to show every error at once
        return None
    try:
        with transaction.atomic():
            return act(
                person_form.person_values(),
                case_form.case_values(),
                case_form.cleaned_data["assigned_to"],
                person_form.age_estimate(),
            )
    except ValidationError as error:
        person_fields = set(person_form.fields) | {"estimated_age"}
        if hasattr(error, "error_dict") and set(error.error_dict) <= person_fields:
            apply_validation_error(person_form, error)
        else:
            apply_validation_error(case_form, error)
        return None
