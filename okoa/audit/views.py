"""The organisation's audit trail for its administrators: who read and who changed what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from okoa.accounts.views import current_membership
from okoa.audit.access import (
    TrailFilters,
    access_page_for_admin,
    change_page_for_admin,
    require_audit_reader,
)
from okoa.audit.forms import TrailFilterForm

CURSOR_SALT = "okoa.audit.cursor"


def _filters_and_cursor(
    request: HttpRequest, form: TrailFilterForm
) -> tuple[TrailFilters, int | None]:
    filters = TrailFilters()
    if form.is_valid():
        filters = TrailFilters(
            user_code=form.cleaned_data["user"],
            record_kind=form.cleaned_data["kind"],
            record_code=form.cleaned_data["record"].strip(),
        )
    try:
        before = signing.loads(request.GET.get("before", ""), salt=CURSOR_SALT)
    except signing.BadSignature:
        before = None
    return filters, before if isinstance(before, int) else None


def _next_link(request: HttpRequest, cursor: int | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["before"] = signing.dumps(cursor, salt=CURSOR_SALT)
    return "?" + query.urlencode()


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    """Who opened which record: the organisation's reads, filterable by member and record."""
    membership = require_audit_reader(current_membership(request))
    form = TrailFilterForm(request.GET or None, membership=membership)
    filters, before = _filters_and_cursor(request, form)
    records, cursor = access_page_for_admin(membership, filters, before=before)
    context = {"form": form, "records": records, "next_link": _next_link(request, cursor)}
    return render(request, "audit/access_log.html", context)


@login_required
def change_log(request: HttpRequest) -> HttpResponse:
    """Who changed which fields of which record (names of fields, never their values)."""
    membership = require_audit_reader(current_membership(request))
    form = TrailFilterForm(request.GET or None, membership=membership)
    filters, before = _filters_and_cursor(request, form)
    records, cursor = change_page_for_admin(membership, filters, before=before)
    context = {"form": form, "records": records, "next_link": _next_link(request, cursor)}
    return render(request, "audit/change_log.html", context)
