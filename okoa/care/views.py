"""Care pages: the care plan, needs assessments, adding goals and services, recording delivery.

Cases are loaded only through access.py (another organisation's is the same 404 as a missing
one) and changed only through actions.py. Every page that shows the plan or an assessment leaves
an access record for the case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Capability, Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_access
from okoa.care.access import (
    assessments_of_case_for_user,
    business_plan_of_case,
    can_edit_care,
    can_see_care_text,
    care_plan_for_user,
    follow_ups_of_case_for_user,
    get_care_goal_for_user,
    get_care_service_for_user,
    get_case_for_care,
    get_follow_up_policy_for_user,
    get_follow_up_visit_for_user,
    legal_process_of_case,
    overdue_before,
    overdue_follow_ups_for_user,
    reintegration_of_case,
    risk_is_rising,
    risk_trend,
)
from okoa.care.actions import (
    GOAL_FIELDS,
    SERVICE_FIELDS,
    add_care_goal,
    add_care_service,
    add_hearing,
    approve_closure,
    approve_grant,
    record_business_check,
    record_disbursement,
    record_follow_up_visit,
    record_needs_assessment,
    reopen_case,
    request_closure,
    return_closure,
    set_follow_up_policy,
    start_reintegration,
    submit_business_plan,
    update_care_goal,
    update_care_service,
    update_legal_process,
)
from okoa.care.forms import (
    BusinessCheckForm,
    BusinessPlanForm,
    CareGoalForm,
    CareServiceForm,
    ClosureForm,
    DisbursementForm,
    EditCareGoalForm,
    FollowUpPolicyForm,
    FollowUpVisitForm,
    HearingForm,
    LegalProcessForm,
    NeedsAssessmentForm,
    StartReintegrationForm,
)
from okoa.care.models import BusinessPlan, CarePlan
from okoa.cases.models import Case

T = TypeVar("T")


@login_required
def care_plan(request: HttpRequest, case_code: str) -> HttpResponse:
    """The care plan: latest needs, goals, and services with their counts."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code)
    assert membership is not None
    plan = care_plan_for_user(membership, case)
    assessments = assessments_of_case_for_user(membership, case)
    _record_read(request, membership, case)
    context = {
        "case": case,
        "plan": plan,
        "latest": assessments[0] if assessments else None,
        "show_text": can_see_care_text(membership),
        "can_edit_care": can_edit_care(membership),
    }
    return render(request, "care/care_plan.html", context)


@login_required
def assessments(request: HttpRequest, case_code: str) -> HttpResponse:
    """Every needs assessment of the case, newest first."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code)
    assert membership is not None
    found = assessments_of_case_for_user(membership, case)
    _record_read(request, membership, case)
    context = {
        "case": case,
        "assessments": found,
        "show_text": can_see_care_text(membership),
        "can_edit_care": can_edit_care(membership),
    }
    return render(request, "care/assessments.html", context)


@login_required
def new_assessment(request: HttpRequest, case_code: str) -> HttpResponse:
    """Record a needs assessment."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    form = NeedsAssessmentForm(data, initial={"assessed_on": timezone.localdate()})
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        done = try_action(
            form,
            lambda: record_needs_assessment(
                case,
                by=by,
                assessed_on=form.cleaned_data["assessed_on"],
                levels=form.levels(),
                notes=form.cleaned_data["notes"],
            ),
        )
        if done is not None:
            messages.success(request, _("The needs assessment is saved."))
            return redirect("care:plan", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("New needs assessment"))


@login_required
def new_goal(request: HttpRequest, case_code: str) -> HttpResponse:
    """Add a goal to the care plan."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    plan = CarePlan.objects.filter(case=case).first()
    data = request.POST if request.method == "POST" else None
    form = CareGoalForm(data, initial={"version": plan.version if plan else None})
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        done = try_action(
            form,
            lambda: add_care_goal(
                case,
                by=by,
                area=form.cleaned_data["area"],
                description=form.cleaned_data["description"],
                target_on=form.cleaned_data["target_on"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if done is not None:
            messages.success(request, _("The goal is added to the care plan."))
            return redirect("care:plan", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("New goal"))


@login_required
def new_service(request: HttpRequest, case_code: str) -> HttpResponse:
    """Plan a service for the survivor or a dependant."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    form = CareServiceForm(data, case=case, initial={"beneficiary": case.person_id})
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        done = try_action(form, lambda: add_care_service(case, by=by, **form.values()))
        if done is not None:
            messages.success(request, _("The service is added to the care plan."))
            return redirect("care:plan", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("New service"))


@login_required
def edit_service(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """Change a service: record sessions attended, items given, its status or outcome."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    service = get_care_service_for_user(membership, case, code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(service, name) for name in SERVICE_FIELDS}
    form = CareServiceForm(data, case=case, initial={**initial, "version": service.version})
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        done = try_action(
            form,
            lambda: update_care_service(
                service, by=by, expected_version=form.cleaned_data["version"], **form.values()
            ),
        )
        if done is not None:
            messages.success(request, _("The service is saved."))
            return redirect("care:plan", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("Service"))


@login_required
def edit_goal(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """Change a goal: its status and progress, or its area, wording and target date."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    goal = get_care_goal_for_user(membership, case, code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(goal, name) for name in GOAL_FIELDS}
    form = EditCareGoalForm(data, initial={**initial, "version": goal.version})
    if data is not None and form.is_valid():
        by, expected = signed_in_user(request), form.cleaned_data["version"]
        done = try_action(
            form,
            lambda: update_care_goal(goal, by=by, expected_version=expected, **form.values()),
        )
        if done is not None:
            messages.success(request, _("The goal is saved."))
            return redirect("care:plan", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("Goal"))


@login_required
def follow_up_policy(request: HttpRequest) -> HttpResponse:
    """Show and set the organisation's follow-up months and when a late visit is overdue."""
    membership = current_membership(request)
    policy = get_follow_up_policy_for_user(membership)
    assert membership is not None
    initial = {
        "months": ", ".join(str(month) for month in policy.months),
        "overdue_after_days": policy.overdue_after_days,
    }
    form = FollowUpPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by, organisation, values = (
            signed_in_user(request),
            membership.organisation,
            form.cleaned_data,
        )
        if try_action(
            form,
            lambda: set_follow_up_policy(
                organisation,
                months=values["months"],
                overdue_after_days=values["overdue_after_days"],
                by=by,
            ),
        ):
            messages.success(request, _("The follow-up schedule is saved."))
            return redirect("care:follow_up_policy")
    context = {"form": form, "policy": policy}
    return render(request, "care/follow_up_policy.html", context, status=form_status(form))


# Helpers


def _record_read(request: HttpRequest, membership: Membership, case: Case) -> None:
    record_access(
        membership, record_kind="case", record_code=case.code, channel="page", request=request
    )


def _form_page(request: HttpRequest, case: Case, form: forms.Form, title: str) -> HttpResponse:
    context: dict[str, Any] = {"case": case, "form": form, "title": title}
    status = form_status(form)
    return render(request, "care/care_form.html", context, status=status)


@login_required
def follow_ups(request: HttpRequest, case_code: str) -> HttpResponse:
    """The follow-up schedule of the case, with the re-trafficking risk trend."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code)
    assert membership is not None
    visits = follow_ups_of_case_for_user(membership, case)
    _record_read(request, membership, case)
    context = {
        "case": case,
        "reintegration": reintegration_of_case(case),
        "visits": visits,
        "trend": risk_trend(visits),
        "rising": risk_is_rising(visits),
        "today": timezone.localdate(),
        "overdue_before": overdue_before(case.organisation_id, timezone.localdate()),
        "show_text": can_see_care_text(membership),
        "can_edit_care": can_edit_care(membership),
        "start_form": StartReintegrationForm(initial={"started_on": timezone.localdate()}),
    }
    return render(request, "care/follow_ups.html", context)


@login_required
@require_POST
def start_follow_ups(request: HttpRequest, case_code: str) -> HttpResponse:
    """Start reintegration: schedule the follow-up visits."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    form = StartReintegrationForm(request.POST)
    if form.is_valid():
        by = signed_in_user(request)
        started_on = form.cleaned_data["started_on"]
        if try_action(form, lambda: start_reintegration(case, started_on=started_on, by=by)):
            messages.success(request, _("Reintegration started; the follow-ups are scheduled."))
            return redirect("care:follow_ups", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("Start reintegration"))


@login_required
def record_visit(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """Record a follow-up visit and its risk assessment (or correct a recorded one)."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    visit = get_follow_up_visit_for_user(membership, case, code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"version": visit.version}
    if visit.is_recorded:
        fields = ("visited_on", "contact_mode", "wellbeing", "goal_progress", "risk_factors")
        initial.update({name: getattr(visit, name) for name in (*fields, "notes")})
    else:
        initial["visited_on"] = timezone.localdate()
    form = FollowUpVisitForm(data, initial=initial)
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        values = form.cleaned_data
        done = try_action(
            form,
            lambda: record_follow_up_visit(
                visit,
                by=by,
                visited_on=values["visited_on"],
                contact_mode=values["contact_mode"],
                wellbeing=values["wellbeing"],
                goal_progress=values["goal_progress"],
                risk_factors=values["risk_factors"],
                notes=values["notes"],
                expected_version=values["version"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("The follow-up is saved. Re-trafficking risk: %(level)s.")
                % {"level": done.get_risk_level_display()},
            )
            return redirect("care:follow_ups", case_code=case.code)
    _record_read(request, membership, case)
    title = _("Follow-up at %(month)s months") % {"month": visit.month}
    return _form_page(request, case, form, title)


@login_required
def overdue_follow_ups(request: HttpRequest) -> HttpResponse:
    """Overdue follow-ups: a caseworker's own; every caseworker's for a supervisor."""
    membership = current_membership(request)
    if not can_edit_care(membership):
        raise PermissionDenied
    visits = overdue_follow_ups_for_user(membership, timezone.localdate())
    context = {"visits": visits, "today": timezone.localdate()}
    return render(request, "care/overdue.html", context)


CLOSURE_ACTIONS: dict[str, Callable[..., None]] = {
    "request": request_closure,
    "approve": approve_closure,
    "return": return_closure,
    "reopen": reopen_case,
}


def _closure_choices(membership: Membership, case: Case) -> list[tuple[str, Any]]:
    supervisor = membership.can(Capability.SUPERVISE)
    if case.status in (Case.Status.OPEN, Case.Status.IN_CARE):
        return [("request", _("Request closure"))]
    if case.status == Case.Status.CLOSURE_REQUESTED and supervisor:
        return [("approve", _("Approve: close the case")), ("return", _("Return the request"))]
    if case.status == Case.Status.CLOSED:
        return [("reopen", _("Reopen the case"))]
    return []


@login_required
def closure(request: HttpRequest, case_code: str) -> HttpResponse:
    """Request closure; a supervisor approves or returns it; a closed case is reopened."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    choices = _closure_choices(membership, case)
    data = request.POST if request.method == "POST" else None
    form = ClosureForm(data, choices=choices)
    if data is not None and choices and form.is_valid():
        by = signed_in_user(request)
        act = CLOSURE_ACTIONS[form.cleaned_data["decision"]]
        reason = form.cleaned_data["reason"]
        if try_action(form, lambda: act(case, by=by, reason=reason) or True):
            messages.success(
                request,
                _("Done: the case is now “%(status)s”.") % {"status": case.get_status_display()},
            )
            return redirect("cases:detail", code=case.code)
    _record_read(request, membership, case)
    context = {"case": case, "form": form if choices else None}
    return render(request, "care/closure.html", context, status=form_status(form))


@login_required
def legal(request: HttpRequest, case_code: str) -> HttpResponse:
    """The legal process: shown to whoever sees the case, edited by those who edit cases."""
    membership = current_membership(request)
    write = request.method == "POST"
    case = get_case_for_care(membership, case_code, write=write)
    assert membership is not None
    process = legal_process_of_case(case)
    version = process.version if process else None
    form = LegalProcessForm(
        request.POST if write else None, instance=process, initial={"version": version}
    )
    if write and form.is_valid():
        by = signed_in_user(request)
        values = {name: form.cleaned_data[name] for name in LegalProcessForm.Meta.fields}
        expected = form.cleaned_data["version"]
        if try_action(
            form,
            lambda: update_legal_process(case, by=by, expected_version=expected, **values) or True,
        ):
            messages.success(request, _("The legal process is saved."))
            return redirect("care:legal", case_code=case.code)
    _record_read(request, membership, case)
    context = {
        "case": case,
        "process": process,
        "form": form if can_edit_care(membership) else None,
        "hearing_form": HearingForm(),
    }
    return render(request, "care/legal.html", context, status=form_status(form))


@login_required
@require_POST
def new_hearing(request: HttpRequest, case_code: str) -> HttpResponse:
    """Add a hearing date."""
    membership = current_membership(request)
    case = get_case_for_care(membership, case_code, write=True)
    assert membership is not None
    form = HearingForm(request.POST)
    if form.is_valid():
        by = signed_in_user(request)
        held_on = form.cleaned_data["held_on"]
        if try_action(form, lambda: add_hearing(case, held_on=held_on, by=by)):
            messages.success(request, _("The hearing is added."))
            return redirect("care:legal", case_code=case.code)
    _record_read(request, membership, case)
    return _form_page(request, case, form, _("Hearing date"))


@login_required
def livelihood(request: HttpRequest, case_code: str) -> HttpResponse:
    """Economic empowerment: the business plan, its grant, payments and business checks."""
    membership = current_membership(request)
    write = request.method == "POST"
    case = get_case_for_care(membership, case_code, write=write)
    assert membership is not None
    plan = business_plan_of_case(case)
    data = request.POST if write else None
    sent = request.POST.get("form", "") if write else ""
    forms_by_name: dict[str, forms.Form] = {
        "plan": BusinessPlanForm(data if sent == "plan" else None),
        "payment": DisbursementForm(data if sent == "payment" else None),
        "check": BusinessCheckForm(data if sent == "check" else None),
    }
    if write:
        by = signed_in_user(request)
        form = forms_by_name.get(sent, BusinessCheckForm(data))
        acts: dict[str, Callable[[dict[str, Any]], Any]] = {
            "plan": lambda values: submit_business_plan(case, by=by, **values),
            "approve": lambda values: approve_grant(_must(plan), by=by) or True,
            "payment": lambda values: record_disbursement(_must(plan), by=by, **values),
            "check": lambda values: record_business_check(_must(plan), by=by, **values),
        }
        act = acts.get(sent)
        valid = sent == "approve" or (sent in forms_by_name and form.is_valid())
        if act is not None and valid:
            values = form.cleaned_data if sent in forms_by_name else {}
            if try_action(form, lambda: act(values)):
                messages.success(request, _("Saved."))
                return redirect("care:livelihood", case_code=case.code)
        if sent == "approve":
            for error in form.non_field_errors():
                messages.error(request, str(error))
    _record_read(request, membership, case)
    context = {
        "case": case,
        "plan": plan,
        "forms": forms_by_name if can_edit_care(membership) else None,
        "is_supervisor": membership.can(Capability.SUPERVISE),
        "show_text": can_see_care_text(membership),
    }
    return render(request, "care/livelihood.html", context, status=400 if write else 200)


def _must(plan: BusinessPlan | None) -> BusinessPlan:
    if plan is None:
        raise ValidationError(_("Record the business plan first."))
    return plan
