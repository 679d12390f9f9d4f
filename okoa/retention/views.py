"""Retention screens: the organisation's retention period, asking for an erasure from a person's
file, and the queue of erasure requests where a second person decides.

Records are loaded only through retention/access.py (another organisation's request is the same
404 as a missing one) and changed only through retention/actions.py. Every page that shows a
request leaves an access record for it, and one for the person when it shows their name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_access, record_accesses
from okoa.retention.access import (
    can_decide_erasures,
    erasure_queue_for_user,
    get_erasure_request_for_user,
    get_person_for_erasure_request,
    get_policy_for_admin,
)
from okoa.retention.actions import (
    approve_erasure,
    reject_erasure,
    request_erasure,
    set_retention_policy,
    withdraw_erasure,
)
from okoa.retention.forms import (
    ApproveForm,
    ErasureRequestForm,
    RejectForm,
    RetentionPolicyForm,
)
from okoa.retention.models import DEFAULT_REPORT_RETENTION_DAYS, ErasureRequest


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    """Show and set how long the organisation keeps identities after cases close, and reports
    that finished without a case."""
    membership = current_membership(request)
    current = get_policy_for_admin(membership)
    assert membership is not None
    initial = {
        "closed_case_retention_days": current.closed_case_retention_days if current else None,
        "caseless_report_retention_days": (
            current.caseless_report_retention_days if current else DEFAULT_REPORT_RETENTION_DAYS
        ),
    }
    form = RetentionPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        by = signed_in_user(request)
        organisation = membership.organisation
        if try_action(
            form,
            lambda: set_retention_policy(
                organisation,
                closed_case_retention_days=values["closed_case_retention_days"],
                caseless_report_retention_days=values["caseless_report_retention_days"],
                by=by,
            ),
        ):
            messages.success(request, _("The retention period is saved."))
            return redirect("retention:policy")
    context = {"form": form, "policy": current}
    return render(request, "retention/policy.html", context, status=form_status(form))


@login_required
def ask_for_erasure(request: HttpRequest, person_code: str) -> HttpResponse:
    """Ask for a person's identity to be erased (a supervisor decides)."""
    membership = current_membership(request)
    person = get_person_for_erasure_request(membership, person_code)
    assert membership is not None
    dependants = person.dependants.count()
    form = ErasureRequestForm(request.POST or None, has_dependants=bool(dependants))
    if request.method == "POST" and form.is_valid():
        data, by = form.cleaned_data, signed_in_user(request)
        include = bool(data.get("include_dependants"))
        erasure_request = try_action(
            form,
            lambda: request_erasure(
                person, reason=data["reason"], include_dependants=include, by=by
            ),
        )
        if erasure_request:
            messages.success(
                request,
                _("The erasure is requested: another supervisor or administrator will decide."),
            )
            return redirect("retention:request_detail", code=erasure_request.code)
    record_access(
        membership, record_kind="person", record_code=person.code, channel="page", request=request
    )
    context = {"form": form, "person": person, "dependants": dependants}
    return render(request, "retention/request_form.html", context, status=form_status(form))


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    """The organisation's erasure requests: those waiting first, then the latest decided."""
    membership = current_membership(request)
    pending, decided = erasure_queue_for_user(membership)
    assert membership is not None
    shown = [*pending, *decided]
    _record_reads(request, membership, shown)
    context = {"pending": pending, "decided": decided}
    return render(request, "retention/request_list.html", context)


@login_required
def request_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One request: who is to be erased, why, and the decision (or the forms to make it)."""
    membership = current_membership(request)
    erasure_request = get_erasure_request_for_user(membership, code)
    assert membership is not None
    return _request_page(request, membership, erasure_request)


@login_required
@require_POST
def approve(request: HttpRequest, code: str) -> HttpResponse:
    """Approve the request: the identity is erased now."""
    membership = current_membership(request)
    erasure_request = get_erasure_request_for_user(membership, code, decide=True)
    form, by = ApproveForm(request.POST), signed_in_user(request)
    return _decision_sent(
        request,
        membership,
        erasure_request,
        "approve_form",
        form,
        lambda data: approve_erasure(erasure_request, by=by, note=data["note"]),
        _("The identity is erased."),
    )


@login_required
@require_POST
def reject(request: HttpRequest, code: str) -> HttpResponse:
    """Reject the request, saying why; nothing is erased."""
    membership = current_membership(request)
    erasure_request = get_erasure_request_for_user(membership, code, decide=True)
    form, by = RejectForm(request.POST), signed_in_user(request)
    return _decision_sent(
        request,
        membership,
        erasure_request,
        "reject_form",
        form,
        lambda data: reject_erasure(erasure_request, by=by, note=data["note"]),
        _("The request is rejected; nothing was erased."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw one's own request while it waits."""
    membership = current_membership(request)
    erasure_request = get_erasure_request_for_user(membership, code)
    form, by = forms.Form(request.POST), signed_in_user(request)
    return _decision_sent(
        request,
        membership,
        erasure_request,
        "withdraw_form",
        form,
        lambda data: withdraw_erasure(erasure_request, by=by),
        _("The request is withdrawn."),
    )


# Helpers


def _record_reads(
    request: HttpRequest, membership: Membership, shown: list[ErasureRequest]
) -> None:
    if not shown:
        return
    record_accesses(
        membership,
        record_kind="erasure_request",
        record_codes=[erasure_request.code for erasure_request in shown],
        channel="page",
        request=request,
    )
    # The page shows the people's names (those not erased yet).
    record_accesses(
        membership,
        record_kind="person",
        record_codes=sorted({item.person.code for item in shown if item.person.erased_at is None}),
        channel="page",
        request=request,
    )


def _decision_sent(
    request: HttpRequest,
    membership: Membership | None,
    erasure_request: ErasureRequest,
    form_name: str,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Run a decision form's action; on errors, show the request page again with them."""
    assert membership is not None
    if form.is_valid() and try_action(form, lambda: act(form.cleaned_data)):
        messages.success(request, done)
        return redirect("retention:request_detail", code=erasure_request.code)
    erasure_request.refresh_from_db()
    return _request_page(request, membership, erasure_request, status=400, **{form_name: form})


def _request_page(
    request: HttpRequest,
    membership: Membership,
    erasure_request: ErasureRequest,
    *,
    status: int = 200,
    **forms_sent: forms.BaseForm,
) -> HttpResponse:
    _record_reads(request, membership, [erasure_request])
    person = erasure_request.person
    mine = erasure_request.requested_by_id == membership.user_id
    context: dict[str, Any] = {
        "erasure_request": erasure_request,
        "person": person,
        "dependants": person.dependants.count() if erasure_request.include_dependants else 0,
        "mine": mine,
        "withdraw_form": forms_sent.get("withdraw_form"),
    }
    if erasure_request.is_pending and can_decide_erasures(membership) and not mine:
        context["approve_form"] = forms_sent.get("approve_form") or ApproveForm()
        context["reject_form"] = forms_sent.get("reject_form") or RejectForm()
    if erasure_request.is_pending and mine:
        context["withdraw_form"] = context["withdraw_form"] or forms.Form()
    return render(request, "retention/request_detail.html", context, status=status)
