"""Referral pages: a case's consents and referrals, recording consent (or a supervisor's
override), sending a referral, the lists of referrals received and sent, one referral with its
answers, and the organisation's answer deadlines.

Records are loaded through access.py (a referral is seen only by the two organisations it joins;
for anybody else it is the same 404 as a missing one) and changed through actions.py. Every page
that shows a survivor's details leaves an access record: the sender's pages a read of the case
(and of the person for a referral), the receiver's a read of the referral. The lists show
organisations, kinds, statuses and dates, never a name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Capability, Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_access
from okoa.cases.models import Case
from okoa.directory.access import get_service_for_user
from okoa.referrals.access import (
    RECEIVER,
    SENDER,
    ReferralFilters,
    ReferralPage,
    can_act_on_referrals,
    can_see_referrals,
    consents_of_case,
    deadlines_for_admin,
    events_of_referral,
    exchange_state,
    get_case_for_referrals,
    get_consent_for_user,
    get_referral_for_user,
    receiver_reads,
    referrals_of_case,
    referrals_received_for_user,
    referrals_sent_for_user,
)
from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    record_consent,
    record_consent_override,
    send_referral,
    set_referral_deadlines,
    withdraw_consent,
    withdraw_referral,
)
from okoa.referrals.forms import (
    AcceptForm,
    CompleteForm,
    ConsentForm,
    ConsentOverrideForm,
    DeadlinesForm,
    DeclineForm,
    ReferralFilterForm,
    ReferralForm,
    WithdrawForm,
)
from okoa.referrals.models import (
    DEFAULT_NORMAL_HOURS,
    DEFAULT_URGENT_HOURS,
    Referral,
)
from okoa.referrals.snapshot import describe

# A case's consents and referrals (the sender's side) ------------------------------------------


@login_required
def case_referrals(request: HttpRequest, case_code: str) -> HttpResponse:
    """The case's consents to share and the referrals sent from it."""
    membership = current_membership(request)
    case = get_case_for_referrals(membership, case_code)
    assert membership is not None
    _record_case_read(request, membership, case)
    context = {
        "case": case,
        "consents": consents_of_case(case),
        "referrals": referrals_of_case(case),
        "can_act": can_act_on_referrals(membership),
        "can_override": membership.can(Capability.SUPERVISE),
        "now": timezone.now(),
    }
    return render(request, "referrals/case_referrals.html", context)


@login_required
def new_consent(request: HttpRequest, case_code: str) -> HttpResponse:
    """Record the survivor's (or a parent's or guardian's) consent to share."""
    membership = current_membership(request)
    case = get_case_for_referrals(membership, case_code, write=True)
    form = ConsentForm(
        request.POST or None,
        own_organisation_id=case.organisation_id,
        initial={"given_on": timezone.localdate(), "given_by": "survivor"},
    )
    if request.method == "POST" and form.is_valid():
        by = signed_in_user(request)
        if try_action(form, lambda: record_consent(case, by=by, **form.values())):
            messages.success(request, _("The consent is recorded."))
            return redirect("referrals:case", case_code=case.code)
    return _case_form_page(request, membership, case, form, _("Consent to share"))


@login_required
def override_consent(request: HttpRequest, case_code: str) -> HttpResponse:
    """A supervisor decides to share without consent, saying why."""
    membership = current_membership(request)
    case = get_case_for_referrals(membership, case_code, write=True)
    assert membership is not None
    if not membership.can(Capability.SUPERVISE):
        raise PermissionDenied(_("Only a supervisor can share without the survivor's consent."))
    form = ConsentOverrideForm(request.POST or None, own_organisation_id=case.organisation_id)
    if request.method == "POST" and form.is_valid():
        by = signed_in_user(request)
        if try_action(form, lambda: record_consent_override(case, by=by, **form.values())):
            messages.success(request, _("The override is recorded, with its reason."))
            return redirect("referrals:case", case_code=case.code)
    return _case_form_page(request, membership, case, form, _("Share without consent"))


@login_required
@require_POST
def withdraw_consent_view(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """Withdraw a consent; open referrals that relied on it alone are withdrawn too."""
    membership = current_membership(request)
    case = get_case_for_referrals(membership, case_code, write=True)
    consent = get_consent_for_user(membership, case, code)
    withdrawn = withdraw_consent(consent, by=signed_in_user(request))
    messages.success(request, _("The consent is withdrawn."))
    if withdrawn:
        messages.warning(
            request,
            _("Referrals withdrawn because they relied on this consent: %(count)s.")
            % {"count": len(withdrawn)},
        )
    return redirect("referrals:case", case_code=case.code)


@login_required
def new_referral(request: HttpRequest, case_code: str) -> HttpResponse:
    """Refer the survivor to another organisation; the chosen sections are copied now."""
    membership = current_membership(request)
    case = get_case_for_referrals(membership, case_code, write=True)
    form = ReferralForm(
        request.POST or None,
        own_organisation_id=case.organisation_id,
        initial=_chosen_service(membership, request.GET.get("service", "")),
    )
    if request.method == "POST" and form.is_valid():
        by = signed_in_user(request)
        referral = try_action(form, lambda: send_referral(case, by=by, **form.values()))
        if referral is not None:
            messages.success(
                request,
                _("The referral is sent to %(organisation)s.")
                % {"organisation": referral.to_organisation.name},
            )
            return redirect("referrals:detail", code=referral.code)
    consents = [consent for consent in consents_of_case(case) if consent.is_active]
    return _case_form_page(
        request,
        membership,
        case,
        form,
        _("New referral"),
        _("Send the referral"),
        consents=consents,
    )


def _chosen_service(membership: Membership | None, code: str) -> dict[str, Any]:
    """The form's starting values for a service picked in the directory (``?service=``)."""
    if not code:
        return {}
    service = get_service_for_user(membership, code[:32])
    return {"to_organisation": service.organisation_id, "service": service.pk}


# The lists ------------------------------------------------------------------------------------


@login_required
def received(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the organisation, newest first; overdue ones highlighted."""
    return _list_page(request, received=True)


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    """Referrals the organisation sent, newest first; overdue ones highlighted."""
    return _list_page(request, received=False)


def _list_page(request: HttpRequest, *, received: bool) -> HttpResponse:
    membership = current_membership(request)
    if not can_see_referrals(membership):
        raise PermissionDenied(_("Your role does not include survivors' details."))
    form = ReferralFilterForm(request.GET or None)
    filters = ReferralFilters()
    if form.is_valid():
        filters = ReferralFilters(
            status=form.cleaned_data["status"], overdue=form.cleaned_data["overdue"]
        )
    finder = referrals_received_for_user if received else referrals_sent_for_user
    context = {
        "form": form,
        "referrals": finder(membership, filters),
        "received": received,
        "show_case": not received,
        "now": timezone.now(),
    }
    status = 400 if form.errors else 200
    return render(request, "referrals/referral_list.html", context, status=status)


# One referral ---------------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """The referral: for the sender everything; for the receiver the shared sections while open."""
    membership = current_membership(request)
    page = get_referral_for_user(membership, code)
    assert membership is not None
    return _referral_page(request, membership, page)


@login_required
@require_POST
def accept(request: HttpRequest, code: str) -> HttpResponse:
    """The receiver accepts the referral."""
    return _answer(
        request,
        code,
        RECEIVER,
        AcceptForm,
        "accept_form",
        lambda referral, data, by: accept_referral(
            referral, by=by, expected_version=data["version"]
        ),
        _("You accepted the referral. The sender is told."),
    )


@login_required
@require_POST
def decline(request: HttpRequest, code: str) -> HttpResponse:
    """The receiver declines the referral, with a reason."""
    return _answer(
        request,
        code,
        RECEIVER,
        DeclineForm,
        "decline_form",
        lambda referral, data, by: decline_referral(
            referral,
            reason=data["reason"],
            note=data["note"],
            by=by,
            expected_version=data["version"],
        ),
        _("You declined the referral. The sender is told."),
    )


@login_required
@require_POST
def complete(request: HttpRequest, code: str) -> HttpResponse:
    """The receiver closes the referral with its outcome."""
    return _answer(
        request,
        code,
        RECEIVER,
        CompleteForm,
        "complete_form",
        lambda referral, data, by: complete_referral(
            referral,
            outcome=data["outcome"],
            note=data["note"],
            by=by,
            expected_version=data["version"],
        ),
        _("The referral is completed. The sender is told the outcome."),
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """The sender withdraws the referral, saying why."""
    return _answer(
        request,
        code,
        SENDER,
        WithdrawForm,
        "withdraw_form",
        lambda referral, data, by: withdraw_referral(
            referral, reason=data["reason"], by=by, expected_version=data["version"]
        ),
        _("The referral is withdrawn. The receiver no longer sees the survivor's details."),
    )


def _answer(
    request: HttpRequest,
    code: str,
    side: str,
    form_class: type[forms.Form],
    form_name: str,
    act: Callable[[Referral, dict[str, Any], Any], Any],
    done: str,
) -> HttpResponse:
    membership = current_membership(request)
    page = get_referral_for_user(membership, code, side=side)
    assert membership is not None
    form = form_class(request.POST)
    by = signed_in_user(request)
    if form.is_valid() and try_action(form, lambda: act(page.referral, form.cleaned_data, by)):
        messages.success(request, done)
        return redirect("referrals:detail", code=page.referral.code)
    # Show the page as it is now (another answer may have moved it), with the refusal.
    page = get_referral_for_user(membership, code)
    return _referral_page(request, membership, page, status=400, **{form_name: form})


def _referral_page(
    request: HttpRequest,
    membership: Membership,
    page: ReferralPage,
    *,
    status: int = 200,
    **forms_sent: forms.Form,
) -> HttpResponse:
    referral = page.referral
    _record_referral_read(request, membership, page)
    version = {"version": referral.version}
    can_act = can_act_on_referrals(membership)
    context: dict[str, Any] = {
        "referral": referral,
        "page": page,
        "sections": describe(referral.shared, referral.sections) if page.shows_details else [],
        "events": events_of_referral(referral),
        "overdue": referral.is_overdue(),
        "receiver_reads": receiver_reads(referral) if page.is_sender else None,
        "exchange": exchange_state(referral),
    }
    if can_act and not page.is_sender:
        if referral.can_move_to(Referral.Status.ACCEPTED):
            context["accept_form"] = forms_sent.get("accept_form") or AcceptForm(initial=version)
        if referral.can_move_to(Referral.Status.DECLINED):
            context["decline_form"] = forms_sent.get("decline_form") or DeclineForm(initial=version)
        if referral.can_move_to(Referral.Status.COMPLETED):
            context["complete_form"] = forms_sent.get("complete_form") or CompleteForm(
                initial=version
            )
    if can_act and page.is_sender and referral.can_move_to(Referral.Status.WITHDRAWN):
        context["withdraw_form"] = forms_sent.get("withdraw_form") or WithdrawForm(initial=version)
    # A refused form whose action is no longer possible still shows why.
    context["refused"] = [
        form for name, form in forms_sent.items() if name not in context and form.errors
    ]
    return render(request, "referrals/referral_detail.html", context, status=status)


# Deadlines ------------------------------------------------------------------------------------


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    """Set how many hours receivers have to answer the organisation's referrals."""
    membership = current_membership(request)
    current = deadlines_for_admin(membership)
    assert membership is not None
    initial = {
        "urgent_hours": current.urgent_hours if current else DEFAULT_URGENT_HOURS,
        "normal_hours": current.normal_hours if current else DEFAULT_NORMAL_HOURS,
    }
    form = DeadlinesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        by, organisation, data = signed_in_user(request), membership.organisation, form.cleaned_data
        if try_action(
            form,
            lambda: set_referral_deadlines(
                organisation,
                urgent_hours=data["urgent_hours"],
                normal_hours=data["normal_hours"],
                by=by,
            ),
        ):
            messages.success(
                request, _("The deadlines are saved: they apply to referrals sent from now on.")
            )
            return redirect("referrals:deadlines")
    context = {"form": form, "deadlines": current}
    return render(request, "referrals/deadlines.html", context, status=form_status(form))


# Helpers --------------------------------------------------------------------------------------


def _case_form_page(
    request: HttpRequest,
    membership: Membership | None,
    case: Case,
    form: forms.Form,
    title: str,
    submit: str = "",
    **extra: Any,
) -> HttpResponse:
    assert membership is not None
    _record_case_read(request, membership, case)
    context = {"case": case, "form": form, "title": title, "submit": submit or _("Save"), **extra}
    return render(request, "referrals/case_form.html", context, status=form_status(form))


def _record_case_read(request: HttpRequest, membership: Membership, case: Case) -> None:
    record_access(
        membership, record_kind="case", record_code=case.code, channel="page", request=request
    )


def _record_referral_read(request: HttpRequest, membership: Membership, page: ReferralPage) -> None:
    referral = page.referral
    if page.is_sender and referral.case is not None:
        # The sender reads its own survivor's file (the snapshot is a copy of it).
        record_access(
            membership,
            record_kind="person",
            record_code=referral.case.person.code,
            channel="page",
            request=request,
        )
    record_access(
        membership,
        record_kind="referral",
        record_code=referral.code,
        channel="page",
        request=request,
    )
