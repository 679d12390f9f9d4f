"""Pages of a person's file: see, record, edit, add a dependant.

Only roles that see identities reach these pages (people/access.py): for everyone else, and for
other organisations' people, every page is the same 404. Every page that shows a person's
details leaves an access record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.forms import apply_validation_error, form_status
from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.access import changes_of_record, recent_reads_of_record
from okoa.audit.actions import record_accesses
from okoa.people.access import get_person_for_user
from okoa.people.actions import create_person, update_person
from okoa.people.forms import (
    DependantForm,
    EditDependantForm,
    EditPersonForm,
    PersonForm,
    language_label,
)
from okoa.people.models import Person


@login_required
def new_person(request: HttpRequest) -> HttpResponse:
    """Record a person (without a case yet)."""
    membership = _editor(request)
    form = PersonForm(request.POST or None)
    if request.method == "POST":
        person = create_person_from(form, membership.organisation, by=signed_in_user(request))
        if person is not None:
            messages.success(request, _("The person is recorded."))
            return redirect("people:detail", code=person.code)
    context = {"form": form, "title": _("Record a person")}
    return render(request, "people/person_form.html", context, status=form_status(form))


@login_required
def person_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a person's details, cases and dependants."""
    membership = current_membership(request)
    person = get_person_for_user(membership, code)
    assert membership is not None
    dependants = list(person.dependants.order_by("id"))
    cases: list[Any] = []
    # A person's cases are kept by the person's organisation (okoa.cases.actions.open_case).
    if membership.can(Capability.VIEW_CASES):
        cases = list(
            person.cases.filter(organisation_id=membership.organisation_id)
            .select_related("assigned_to")
            .order_by("-id")
        )
    parent = person.parent
    _record_reads(request, membership, [person, *dependants, *([parent] if parent else [])])
    context = {
        "person": person,
        "parent": parent,
        "dependants": dependants,
        "cases": cases,
        "languages": [language_label(code) for code in person.languages or []],
        "age": person.age_on(timezone.localdate()),
        "readers": recent_reads_of_record(membership, record_kind="person", record_code=code),
        "changes": changes_of_record(membership, record_kind="person", record_code=code),
    }
    return render(request, "people/person_detail.html", context)


@login_required
def edit_person(request: HttpRequest, code: str) -> HttpResponse:
    """Change a person's details; an edit based on an outdated copy is refused."""
    membership = current_membership(request)
    person = get_person_for_user(membership, code, write=True)
    form_class = EditDependantForm if person.parent_id else EditPersonForm
    form = form_class(request.POST or None, initial=form_class.initial_for(person))
    if request.method == "POST" and _update(form, person, by=signed_in_user(request)):
        messages.success(request, _("The changes are saved."))
        return redirect("people:detail", code=person.code)
    assert membership is not None
    _record_reads(request, membership, [person])
    context = {"form": form, "person": person, "title": _("Edit personal details")}
    return render(request, "people/person_form.html", context, status=form_status(form))


@login_required
def add_dependant(request: HttpRequest, code: str) -> HttpResponse:
    """Record a dependant of a person (a survivor's child, for example)."""
    membership = current_membership(request)
    parent = get_person_for_user(membership, code, write=True)
    form = DependantForm(request.POST or None)
    if request.method == "POST":
        by = signed_in_user(request)
        if create_person_from(form, parent.organisation, by=by, parent=parent) is not None:
            messages.success(request, _("The dependant is recorded."))
            return redirect("people:detail", code=parent.code)
    assert membership is not None
    _record_reads(request, membership, [parent])
    context = {"form": form, "parent": parent, "title": _("Add a dependant")}
    return render(request, "people/person_form.html", context, status=form_status(form))


def create_person_from(
    form: PersonForm, organisation: Organisation, *, by: User, **extra: Any
) -> Person | None:
    """Create the person a valid form describes; on errors, show them on the form."""
    if not form.is_valid():
        return None
    try:
        return create_person(
            organisation,
            by=by,
            estimated_age=form.age_estimate(),
            **form.person_values(),
            **extra,
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def _update(form: EditPersonForm, person: Person, *, by: User) -> bool:
    if not form.is_valid():
        return False
    try:
        update_person(
            person,
            by=by,
            expected_version=form.cleaned_data["version"],
            estimated_age=form.age_estimate(),
            **form.person_values(),
        )
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True


def _editor(request: HttpRequest) -> Membership:
    membership = current_membership(request)
    if membership is None or not membership.can(Capability.EDIT_CASES):
        raise PermissionDenied(_("Your role does not include recording people."))
    return membership


def _record_reads(request: HttpRequest, membership: Membership, people: list[Person]) -> None:
    record_accesses(
        membership,
        record_kind="person",
        record_codes=[person.code for person in people],
        channel="page",
        request=request,
    )
