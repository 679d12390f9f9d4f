"""Shelter pages: the list with today's free beds, a shelter with its residents, its occupancy
by day, adding and editing a shelter, checking a case's people in and out.

Shelters, stays and cases are loaded only through access.py (another organisation's are the
same 404 as missing ones) and changed only through actions.py. Every page that shows people by
name leaves an access record for each of them; the occupancy pages show counts only.
"""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_access, record_accesses
from okoa.cases.access import get_case_for_user
from okoa.shelters.access import (
    can_check_in,
    can_manage_shelters,
    can_override_capacity,
    can_see_residents,
    can_see_shelters,
    dependants_staying_with,
    get_shelter_for_user,
    get_stay_for_user,
    occupancy_by_day,
    occupancy_for_user,
    occupancy_of,
    people_for_check_in,
    resident_counts,
    residents_for_user,
)
from okoa.shelters.actions import (
    SHELTER_FIELDS,
    check_in,
    check_out,
    create_shelter,
    update_shelter,
)
from okoa.shelters.forms import CheckInForm, CheckOutForm, MonthForm, ShelterForm, now_for_input
from okoa.shelters.models import Shelter


@login_required
def shelter_list(request: HttpRequest) -> HttpResponse:
    """The organisation's shelters with their beds taken and free today."""
    membership = current_membership(request)
    if not can_see_shelters(membership):
        raise PermissionDenied(_("Your role does not include case files."))
    shelters = occupancy_for_user(membership)
    open_ones = [counted for counted in shelters if counted.shelter.is_active]
    totals = {
        "capacity": sum(counted.shelter.capacity for counted in open_ones),
        "occupied": sum(counted.occupied for counted in open_ones),
        "free": sum(counted.free for counted in open_ones),
    }
    context = {
        "shelters": shelters,
        "totals": totals,
        "today": timezone.localdate(),
        "can_manage": can_manage_shelters(membership),
    }
    return render(request, "shelters/shelter_list.html", context)


@login_required
def new_shelter(request: HttpRequest) -> HttpResponse:
    """Add a shelter (supervisors and organisation administrators)."""
    membership = current_membership(request)
    if not can_manage_shelters(membership):
        raise PermissionDenied(_("Only supervisors add shelters."))
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    initial = {"sexes": Shelter.Sexes.ANY, "takes_adults": True, "is_active": True}
    form = ShelterForm(data, initial=initial)
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        done = try_action(
            form, lambda: create_shelter(membership.organisation, by=by, **form.values())
        )
        if done is not None:
            messages.success(request, _("The shelter is added."))
            return redirect("shelters:detail", code=done.code)
    return _form_page(request, form, _("New shelter"), None)


@login_required
def shelter_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A shelter: beds taken and free, and who is staying (names for roles that see them)."""
    membership = current_membership(request)
    shelter = get_shelter_for_user(membership, code)
    assert membership is not None
    residents = residents_for_user(membership, shelter)
    if residents:
        # Names next to case references: a read of each person and of each case.
        for kind, codes in (
            ("person", [stay.person.code for stay in residents]),
            ("case", sorted({stay.case.code for stay in residents})),
        ):
            record_accesses(
                membership, record_kind=kind, record_codes=codes, channel="page", request=request
            )
    context = {
        "shelter": shelter,
        "occupancy": occupancy_of(shelter),
        "counts": resident_counts(shelter),
        "residents": residents,
        "show_names": can_see_residents(membership),
        "can_check_in": can_check_in(membership),
        "can_manage": can_manage_shelters(membership),
        "today": timezone.localdate(),
    }
    return render(request, "shelters/shelter_detail.html", context)


@login_required
def edit_shelter(request: HttpRequest, code: str) -> HttpResponse:
    """Change a shelter's details and beds; an edit based on an outdated page is refused."""
    membership = current_membership(request)
    shelter = get_shelter_for_user(membership, code, manage=True)
    data = request.POST if request.method == "POST" else None
    initial = {name: getattr(shelter, name) for name in SHELTER_FIELDS}
    form = ShelterForm(data, initial={**initial, "version": shelter.version})
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        expected = form.cleaned_data["version"]
        done = try_action(
            form,
            lambda: update_shelter(shelter, by=by, expected_version=expected, **form.values()),
        )
        if done is not None:
            messages.success(request, _("The shelter is saved."))
            return redirect("shelters:detail", code=shelter.code)
    return _form_page(request, form, _("Edit the shelter"), shelter)


@login_required
def occupancy(request: HttpRequest, code: str) -> HttpResponse:
    """How many people were in the shelter at the end of each day of a month (counts only)."""
    membership = current_membership(request)
    shelter = get_shelter_for_user(membership, code)
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": today.strftime("%Y-%m")})
    first = form.cleaned_data["month"] if form.is_valid() else today.replace(day=1)
    month_end = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    days = occupancy_by_day(shelter, first, min(month_end, today)) if first <= today else []
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = month_end + datetime.timedelta(days=1)
    context = {
        "shelter": shelter,
        "form": form,
        "month": first,
        "days": days,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m") if following <= today else None,
    }
    status = 400 if form.errors else 200
    return render(request, "shelters/occupancy.html", context, status=status)


@login_required
def check_in_case(request: HttpRequest, case_code: str) -> HttpResponse:
    """Check the case's survivor and/or dependants into one of the organisation's shelters."""
    membership = current_membership(request)
    if not can_check_in(membership):
        raise Http404
    case = get_case_for_user(membership, case_code, write=True)
    assert membership is not None
    data = request.POST if request.method == "POST" else None
    form = CheckInForm(
        data,
        case=case,
        shelters=occupancy_for_user(membership, active_only=True),
        may_override=can_override_capacity(membership),
        initial={"people": [case.person_id], "checked_in_at": now_for_input()},
    )
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        stays = try_action(form, lambda: check_in(case, by=by, **form.values()))
        if stays is not None:
            messages.success(
                request,
                ngettext(
                    "Checked in to %(shelter)s: %(count)s person.",
                    "Checked in to %(shelter)s: %(count)s people.",
                    len(stays),
                )
                % {"shelter": stays[0].shelter.name, "count": len(stays)},
            )
            return redirect("cases:detail", code=case.code)
    _record_case_read(request, membership, case.code)
    record_accesses(
        membership,
        record_kind="person",
        record_codes=list(people_for_check_in(case).values_list("code", flat=True)),
        channel="page",
        request=request,
    )
    context = {"case": case, "form": form, "title": _("Check in to a shelter")}
    return render(request, "shelters/stay_form.html", context, status=form_status(form))


@login_required
def check_out_stay(request: HttpRequest, code: str) -> HttpResponse:
    """End a stay: when and why (the survivor's dependants may leave with them)."""
    membership = current_membership(request)
    stay = get_stay_for_user(membership, code, write=True)
    assert membership is not None
    companions = dependants_staying_with(stay)
    data = request.POST if request.method == "POST" else None
    form = CheckOutForm(
        data,
        dependants_staying=len(companions),
        initial={"checked_out_at": now_for_input()},
    )
    if data is not None and form.is_valid():
        by = signed_in_user(request)
        ended = try_action(form, lambda: check_out(stay, by=by, **form.values()))
        if ended is not None:
            messages.success(
                request,
                ngettext(
                    "Checked out of %(shelter)s: %(count)s person.",
                    "Checked out of %(shelter)s: %(count)s people.",
                    len(ended),
                )
                % {"shelter": stay.shelter.name, "count": len(ended)},
            )
            return redirect("cases:detail", code=stay.case.code)
    _record_case_read(request, membership, stay.case.code)
    record_accesses(
        membership,
        record_kind="person",
        record_codes=[stay.person.code, *(item.person.code for item in companions)],
        channel="page",
        request=request,
    )
    context = {
        "case": stay.case,
        "stay": stay,
        "companions": companions,
        "form": form,
        "title": _("Check out of %(shelter)s") % {"shelter": stay.shelter.name},
    }
    return render(request, "shelters/stay_form.html", context, status=form_status(form))


# Helpers


def _record_case_read(request: HttpRequest, membership: Membership, case_code: str) -> None:
    record_access(
        membership, record_kind="case", record_code=case_code, channel="page", request=request
    )


def _form_page(
    request: HttpRequest, form: forms.Form, title: str, shelter: Shelter | None
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "title": title, "shelter": shelter}
    return render(request, "shelters/shelter_form.html", context, status=form_status(form))
