"""Directory pages: search services by kind and county, read one, and (administrators) list,
add, change, deactivate and reactivate their organisation's services.

Services describe organisations, not people: the search is a GET form and no read is logged.
Services are loaded through access.py and changed through actions.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.directory.access import (
    can_manage_services,
    can_read_directory,
    get_service_for_admin,
    get_service_for_user,
    search_services,
    services_of_own_organisation,
)
from okoa.directory.actions import create_service, set_service_active, update_service
from okoa.directory.forms import ServiceActiveForm, ServiceForm, ServiceSearchForm
from okoa.directory.models import Service


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find services by kind and county; administrators also see their own services."""
    membership = current_membership(request)
    if not can_read_directory(membership):
        raise PermissionDenied(_("Only members of an organisation use the directory."))
    form = ServiceSearchForm(request.GET or None)
    context = {
        "form": form,
        "services": search_services(membership, form.filters()),
        "searched": form.is_bound,
        "own_services": services_of_own_organisation(membership),
        "can_manage": can_manage_services(membership),
    }
    return render(request, "directory/search.html", context)


@login_required
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One service: what it offers, where, to whom, its capacity and how to reach it."""
    membership = current_membership(request)
    service = get_service_for_user(membership, code)
    context = _detail_context(membership, service)
    return render(request, "directory/service_detail.html", context)


@login_required
def new_service(request: HttpRequest) -> HttpResponse:
    """List a new service of the administrator's organisation."""
    membership = current_membership(request)
    if not can_manage_services(membership):
        raise PermissionDenied(_("Only the organisation's administrators keep its services."))
    assert membership is not None
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        by, organisation = signed_in_user(request), membership.organisation
        counties = form.cleaned_data["counties"]
        service = try_action(
            form, lambda: create_service(organisation, by=by, counties=counties, **form.values())
        )
        if service is not None:
            messages.success(request, _("The service is listed in the directory."))
            return redirect("directory:service", code=service.code)
    context = {"form": form, "title": _("New service")}
    return render(request, "directory/service_form.html", context, status=form_status(form))


@login_required
def edit_service(request: HttpRequest, code: str) -> HttpResponse:
    """Change a service; a change based on an outdated page is refused."""
    service = get_service_for_admin(current_membership(request), code)
    form = ServiceForm(request.POST or None, initial=_initial(service))
    if request.method == "POST" and form.is_valid():
        by, data = signed_in_user(request), form.cleaned_data
        if try_action(
            form,
            lambda: (
                update_service(
                    service,
                    by=by,
                    expected_version=data["version"],
                    counties=data["counties"],
                    **form.values(),
                )
                or True
            ),
        ):
            messages.success(request, _("The service is saved."))
            return redirect("directory:service", code=service.code)
    context = {"form": form, "service": service, "title": _("Edit the service")}
    return render(request, "directory/service_form.html", context, status=form_status(form))


@login_required
@require_POST
def set_active(request: HttpRequest, code: str) -> HttpResponse:
    """Deactivate a service (it leaves the search) or offer it again."""
    membership = current_membership(request)
    service = get_service_for_admin(membership, code)
    form = ServiceActiveForm(request.POST)
    if not form.is_valid():
        context = _detail_context(membership, service) | {"active_form": form}
        return render(request, "directory/service_detail.html", context, status=400)
    active = form.cleaned_data["active"] == "1"
    set_service_active(service, active=active, by=signed_in_user(request))
    if active:
        messages.success(request, _("The service is offered again."))
    else:
        messages.success(request, _("The service is deactivated: it no longer appears in search."))
    return redirect("directory:service", code=service.code)


def _detail_context(membership: Membership | None, service: Service) -> dict[str, Any]:
    assert membership is not None
    is_own = service.organisation_id == membership.organisation_id
    return {
        "service": service,
        "counties": list(service.counties.all()),
        "is_own": is_own and can_manage_services(membership),
        "can_refer": not is_own,
    }


def _initial(service: Service) -> dict[str, object]:
    return {
        "kind": service.kind,
        "name": service.name,
        "description": service.description,
        "nationwide": service.nationwide,
        "counties": list(service.counties.all()),
        "min_age": service.min_age,
        "max_age": service.max_age,
        "sexes": service.sexes,
        "capacity": service.capacity,
        "capacity_note": service.capacity_note,
        "contact_phone": service.contact_phone,
        "contact_email": service.contact_email,
        "hours": service.hours,
        "version": service.version,
    }
