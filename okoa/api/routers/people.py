"""People: list, read, record, change and search the people an organisation assists.

Only members who may see identities reach these endpoints; for everyone else (data analysts,
hotline operators) every one of them answers 404. Search takes its query in the body, so names
and phone numbers never appear in a URL or a request log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from okoa.accounts.models import Capability, Membership
from okoa.api.auth import membership_of
from okoa.api.lookups import Lookups
from okoa.api.schemas import (
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    PageQuery,
    PersonIn,
    PersonOut,
    PersonPageOut,
    PersonPatch,
    PersonSearchIn,
    PersonSearchOut,
    person_detail,
    person_summary,
)
from okoa.audit.actions import record_access, record_accesses
from okoa.cases.access import cases_for_user
from okoa.people import actions
from okoa.people.access import (
    Narrowing,
    can_see_people,
    get_person_for_user,
    people_for_user,
    search_people_for_user,
)
from okoa.people.models import Person

router = Router(tags=["people"])


def _reader(request: HttpRequest) -> Membership:
    membership = membership_of(request)
    if not can_see_people(membership):
        raise Http404
    return membership


def _describe(request: HttpRequest, membership: Membership, person: Person) -> dict[str, Any]:
    """Describe the person's file, logging the read."""
    record_access(
        membership, record_kind="person", record_code=person.code, channel="api", request=request
    )
    cases = cases_for_user(membership).filter(person=person).order_by("-id")
    return person_detail(person, cases)


@router.get("", response={200: PersonPageOut, **READ_ERRORS})
def list_people(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """List people, newest first, one page at a time (pass next_cursor as cursor)."""
    membership = _reader(request)
    people = people_for_user(membership).select_related("nationality", "county_of_origin")
    if page.cursor:
        last_id = people.filter(code=page.cursor).values_list("id", flat=True).first()
        if last_id is None:
            raise ValidationError({"cursor": [_("This cursor is not valid; start again.")]})
        people = people.filter(id__lt=last_id)
    rows = list(people.order_by("-id")[: page.limit + 1])
    items = rows[: page.limit]
    record_accesses(
        membership,
        record_kind="person",
        record_codes=[person.code for person in items],
        channel="api",
        request=request,
    )
    return {
        "items": [person_summary(person) for person in items],
        "next_cursor": items[-1].code if len(rows) > page.limit else None,
    }


# Declared before "/{code}" so that "search" is never taken for a person's code.
@router.post("/search", response={200: PersonSearchOut, **READ_ERRORS})
def search_people(request: HttpRequest, payload: PersonSearchIn) -> dict[str, Any]:
    """Find people by name (typos and any order allowed), phone or document number."""
    membership = _reader(request)
    lookups = Lookups(membership)
    county = lookups.county("county", payload.county)
    lookups.check()
    narrowing = Narrowing(birth_year=payload.born, county_id=county.pk if county else None)
    matches = search_people_for_user(
        membership, payload.query, limit=payload.limit, narrowing=narrowing
    )
    record_accesses(
        membership,
        record_kind="person",
        record_codes=[person.code for person, _score in matches],
        channel="api",
        request=request,
    )
    return {"items": [{**person_summary(person), "score": score} for person, score in matches]}


@router.post("", response={201: PersonOut, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonIn) -> Status[dict[str, Any]]:
    """Record a new person."""
    membership = _reader(request)
    if not membership.can(Capability.EDIT_CASES):
        raise Http404
    with transaction.atomic():
        lookups = Lookups(membership)
        values = lookups.person_values(payload.model_dump(exclude_unset=True))
        lookups.check()
        person = actions.create_person(membership.organisation, by=membership.user, **values)
    return Status(201, _describe(request, membership, person))


@router.get("/{code}", response={200: PersonOut, **READ_ERRORS})
def get_person(request: HttpRequest, code: str) -> dict[str, Any]:
    """Read a person's file."""
    membership = _reader(request)
    return _describe(request, membership, get_person_for_user(membership, code))


@router.patch("/{code}", response={200: PersonOut, **UPDATE_ERRORS})
def update_person(request: HttpRequest, code: str, payload: PersonPatch) -> dict[str, Any]:
    """Change the fields sent; 409 if the person changed since the client read ``version``."""
    membership = _reader(request)
    person = get_person_for_user(membership, code, write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    with transaction.atomic():
        lookups = Lookups(membership)
        values = lookups.person_values(data)
        lookups.check()
        actions.update_person(person, by=membership.user, expected_version=version, **values)
    return _describe(request, membership, person)
