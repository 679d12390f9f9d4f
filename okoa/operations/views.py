"""Operation pages: the list, an operation with its counts and manifest, partners, importing a
manifest file, changing a person's status, and the printable manifest.

Operations are loaded only through access.py (another organisation's is the same 404 as a
missing one) and changed only through actions.py. Every page that shows names leaves an access
record for each case shown (channel "page", or "print" for the printable manifest).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import apply_validation_error
from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_accesses
from okoa.operations.access import (
    can_edit_cases,
    can_see_cases,
    can_see_identities,
    get_entry_for_user,
    get_operation_for_user,
    manifest_counts,
    manifest_for_user,
    operations_for_user,
)
from okoa.operations.actions import (
    ImportReport,
    add_operation_partner,
    change_manifest_status,
    create_operation,
    import_manifest,
    update_operation,
)
from okoa.operations.forms import ManifestUploadForm, OperationForm, PartnerForm, StatusForm
from okoa.operations.manifest import MAX_BYTES, ManifestFileError, parse_manifest
from okoa.operations.models import ManifestEntry, Operation

# Room for the form's other fields and the multipart boundaries around the file.
UPLOAD_OVERHEAD = 64 * 1024


@login_required
def operation_list(request: HttpRequest) -> HttpResponse:
    """The organisation's operations, newest first."""
    membership = current_membership(request)
    if not can_see_cases(membership):
        raise PermissionDenied(_("Your role does not include case files."))
    operations = operations_for_user(membership).prefetch_related("countries")
    return render(
        request,
        "operations/operation_list.html",
        {"operations": operations, "can_edit": can_edit_cases(membership)},
    )


@login_required
def new_operation(request: HttpRequest) -> HttpResponse:
    """Start an operation led by the member's organisation."""
    membership = current_membership(request)
    if not can_edit_cases(membership):
        raise PermissionDenied(_("Your role does not include opening cases."))
    assert membership is not None
    form = OperationForm(request.POST or None, initial={"status": Operation.Status.PLANNING})
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.pop("version", None)
        try:
            operation = create_operation(
                membership.organisation, by=signed_in_user(request), **values
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("operations:detail", code=operation.code)
    return render(
        request, "operations/operation_form.html", {"form": form, "title": _("New operation")}
    )


@login_required
def operation_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The operation: partners, counts, and the manifest for roles that see names."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code)
    assert membership is not None
    entries = manifest_for_user(membership, operation)
    _record_reads(request, membership, entries, channel="page")
    return render(
        request,
        "operations/operation_detail.html",
        {
            "operation": operation,
            "partners": operation.partners.select_related("organisation"),
            "countries": operation.countries.all(),
            "counts": manifest_counts(operation),
            "entries": entries,
            "show_names": can_see_identities(membership),
            "can_edit": can_edit_cases(membership),
            "statuses": ManifestEntry.Status.choices,
        },
    )


@login_required
def edit_operation(request: HttpRequest, code: str) -> HttpResponse:
    """Change the operation's details; an edit based on an outdated page is refused."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code, write=True)
    initial = {
        "name": operation.name,
        "countries": list(operation.countries.all()),
        "status": operation.status,
        "started_on": operation.started_on,
        "version": operation.version,
    }
    form = OperationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        version = values.pop("version")
        countries = values.pop("countries")
        try:
            update_operation(
                operation,
                by=signed_in_user(request),
                expected_version=version,
                countries=countries,
                **values,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The operation is saved."))
            return redirect("operations:detail", code=operation.code)
    return render(
        request,
        "operations/operation_form.html",
        {"form": form, "operation": operation, "title": _("Edit the operation")},
    )


@login_required
def new_partner(request: HttpRequest, code: str) -> HttpResponse:
    """List a partner organisation of the operation, with its role."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code, write=True)
    form = PartnerForm(request.POST or None, lead=operation.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            add_operation_partner(operation, by=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The partner is added."))
            return redirect("operations:detail", code=operation.code)
    return render(
        request,
        "operations/operation_form.html",
        {"form": form, "operation": operation, "title": _("Add a partner")},
    )


@login_required
def import_manifest_file(request: HttpRequest, code: str) -> HttpResponse:
    """Add people from a manifest file; a file with errors saves nothing unless asked to."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code, write=True)
    too_large = int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BYTES + UPLOAD_OVERHEAD
    if request.method == "POST" and too_large:
        form = ManifestUploadForm()
        refusal = _("The file is larger than 2 MB. Split it and upload each part.")
        context = {"form": form, "operation": operation, "refusal": refusal}
        return render(request, "operations/import.html", context, status=400)
    form = ManifestUploadForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise ManifestFileError(
                    _("The file is larger than 2 MB. Split it and upload each part.")
                )
            # Read in memory only: the file holds names and is never stored.
            rows = parse_manifest(upload.name, upload.read())
        except ManifestFileError as error:
            form.add_error("file", str(error))
        else:
            report = import_manifest(
                operation,
                rows=rows,
                by=signed_in_user(request),
                valid_rows_only=form.cleaned_data["valid_rows_only"],
            )
            if report.saved and not report.errors:
                messages.success(
                    request, _("%(count)d people are added.") % {"count": report.saved}
                )
                return redirect("operations:detail", code=operation.code)
    if request.method == "POST" and (report is None or report.errors):
        status = 400
    return render(
        request,
        "operations/import.html",
        {"form": form, "operation": operation, "report": report},
        status=status,
    )


@login_required
@require_POST
def change_status(request: HttpRequest, code: str, case_code: str) -> HttpResponse:
    """Move one person on the manifest to a new status (a step back needs a reason)."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code, write=True)
    entry = get_entry_for_user(membership, operation, case_code)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            change_manifest_status(entry, by=signed_in_user(request), **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The status is saved."))
            return redirect("operations:detail", code=operation.code)
    return render(
        request,
        "operations/status_refused.html",
        {"form": form, "operation": operation},
        status=400,
    )


@login_required
def printable_manifest(request: HttpRequest, code: str) -> HttpResponse:
    """The manifest to print; names only for roles that see identities."""
    membership = current_membership(request)
    operation = get_operation_for_user(membership, code)
    assert membership is not None
    show_names = can_see_identities(membership)
    entries = list(
        ManifestEntry.objects.filter(operation=operation).select_related(
            "case", "case__person", "case__person__nationality"
        )
    )
    if show_names:
        _record_reads(request, membership, entries, channel="print")
    return render(
        request,
        "operations/print.html",
        {"operation": operation, "entries": entries, "show_names": show_names},
    )


def _record_reads(
    request: HttpRequest, membership: Membership, entries: list[ManifestEntry], *, channel: str
) -> None:
    if entries:
        record_accesses(
            membership,
            record_kind="case",
            record_codes=[entry.case.code for entry in entries],
            channel=channel,
            request=request,
        )
