"""Cases: list, read, open, change and move cases along their lifecycle.

Members who see cases (caseworkers, supervisors, administrators, data analysts) reach these
endpoints; hotline operators get 404 from every one. Data analysts read case attributes only:
``person`` and ``narrative`` are ``null`` for them, and only members who may edit cases write.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from okoa.accounts.models import Membership
from okoa.api.auth import membership_of
from okoa.api.errors import prefixed, renamed
from okoa.api.lookups import Lookups
from okoa.api.schemas import (
    READ_ERRORS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    CaseIn,
    CaseListQuery,
    CaseOut,
    CasePageOut,
    CasePatch,
    StatusChangeIn,
    case_detail,
    case_summary,
)
from okoa.audit.actions import record_access, record_accesses
from okoa.cases import actions as case_actions
from okoa.cases.access import (
    CaseFilters,
    can_edit_cases,
    can_see_cases,
    can_see_identities,
    case_page_for_user,
    cases_for_user,
    get_case_for_user,
)
from okoa.cases.models import Case
from okoa.people import actions as people_actions
from okoa.reference.models import CodeList, CodeListItem, County

router = Router(tags=["cases"])


def _reader(request: HttpRequest) -> Membership:
    membership = membership_of(request)
    if not can_see_cases(membership):
        raise Http404
    return membership


def _describe(request: HttpRequest, membership: Membership, case: Case) -> dict[str, Any]:
    """Describe the case file, logging the read (of the person too, when they are named)."""
    identities = can_see_identities(membership)
    record_access(
        membership, record_kind="case", record_code=case.code, channel="api", request=request
    )
    if identities:
        record_access(
            membership,
            record_kind="person",
            record_code=case.person.code,
            channel="api",
            request=request,
        )
    return case_detail(case, identities=identities)


def _filters(membership: Membership, query: CaseListQuery) -> CaseFilters:
    """Translate the codes of the list's filters into the ids ``CaseFilters`` takes."""
    errors: dict[str, list[str]] = {}
    county_id = exploitation_type_id = None
    if query.county is not None:
        county_id = County.objects.filter(code=query.county).values_list("id", flat=True).first()
        if county_id is None:
            errors["county"] = [_("%(code)s is not a county code.") % {"code": query.county}]
    if query.exploitation_type is not None:
        exploitation_type_id = (
            CodeListItem.objects.filter(
                list=CodeList.EXPLOITATION_TYPE, code=query.exploitation_type
            )
            .values_list("id", flat=True)
            .first()
        )
        if exploitation_type_id is None:
            errors["exploitation_type"] = [_("This is not a code of a type of exploitation.")]
    # case_page_for_user starts again from the top on an unknown cursor; a client paging through
    # would loop for ever, so an unknown cursor is refused here.
    if query.cursor and not cases_for_user(membership).filter(code=query.cursor).exists():
        errors["cursor"] = [_("This cursor is not valid; start again.")]
    if errors:
        raise ValidationError(errors)
    return CaseFilters(
        status=query.status or "",
        county=county_id,
        exploitation_type=exploitation_type_id,
        sex=query.sex or "",
        assigned_to_me=query.assigned_to_me,
    )


@router.get("", response={200: CasePageOut, **READ_ERRORS})
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    """List cases, newest first, one page at a time (pass next_cursor as cursor)."""
    membership = _reader(request)
    cases, next_cursor = case_page_for_user(
        membership, _filters(membership, query), after=query.cursor, page_size=query.limit
    )
    identities = can_see_identities(membership)
    if identities:
        # The list names the survivors: log it as a read of each case listed.
        record_accesses(
            membership,
            record_kind="case",
            record_codes=[case.code for case in cases],
            channel="api",
            request=request,
        )
    return {
        "items": [case_summary(case, identities=identities) for case in cases],
        "next_cursor": next_cursor,
    }


@router.post("", response={201: CaseOut, **WRITE_ERRORS})
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """Open a case for a recorded person, or for a new person recorded with it."""
    membership = _reader(request)
    if not can_edit_cases(membership):
        raise Http404
    data = payload.model_dump(exclude_unset=True)
    person_code = data.pop("person", None)
    new_person = data.pop("new_person", None)
    assigned_to_code = data.pop("assigned_to", None)
    # One transaction: a new person is never left behind by a case that failed to open.
    with transaction.atomic():
        lookups = Lookups(membership)
        details = lookups.case_values(data)
        assigned_to = lookups.caseworker("assigned_to", assigned_to_code)
        person = lookups.person("person", person_code, write=True)
        person_values = (
            lookups.person_values(new_person, prefix="new_person.") if new_person else {}
        )
        lookups.check()
        if person is None:
            try:
                person = people_actions.create_person(
                    membership.organisation, by=membership.user, **person_values
                )
            except ValidationError as error:
                raise prefixed(error, "new_person.") from error
        case = case_actions.open_case(
            person, by=membership.user, assigned_to=assigned_to, **details
        )
    return Status(201, _describe(request, membership, case))


@router.get("/{code}", response={200: CaseOut, **READ_ERRORS})
def get_case(request: HttpRequest, code: str) -> dict[str, Any]:
    """Read a case file."""
    membership = _reader(request)
    return _describe(request, membership, get_case_for_user(membership, code))


@router.patch("/{code}", response={200: CaseOut, **UPDATE_ERRORS})
def update_case(request: HttpRequest, code: str, payload: CasePatch) -> dict[str, Any]:
    """Change the details sent; 409 if the case changed since the client read ``version``."""
    membership = _reader(request)
    case = get_case_for_user(membership, code, write=True)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    with transaction.atomic():
        lookups = Lookups(membership)
        details = lookups.case_values(data)
        lookups.check()
        case_actions.update_case(case, by=membership.user, expected_version=version, **details)
    return _describe(request, membership, case)


@router.post("/{code}/status", response={200: CaseOut, **WRITE_ERRORS})
def change_case_status(request: HttpRequest, code: str, payload: StatusChangeIn) -> dict[str, Any]:
    """Move the case to another status of its lifecycle (``Case.TRANSITIONS``)."""
    membership = _reader(request)
    case = get_case_for_user(membership, code, write=True)
    try:
        case_actions.change_case_status(
            case, to=payload.to, by=membership.user, reason=payload.reason
        )
    except ValidationError as error:
        raise renamed(error, {"status": "to"}) from error
    return _describe(request, membership, case)
