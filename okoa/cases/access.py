"""Loading cases for a member.

Contract: cases are reached only through these functions. Another organisation's case, a missing
case and a case the role may not see all raise the same Http404. Data analysts see case
attributes but never the survivor's identity (``can_see_identities``); hotline operators see no
case files.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import (
    Aggregate,
    BigIntegerField,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from okoa.accounts.models import Capability, Membership
from okoa.cases.models import Case, CaseEvent
from okoa.people.models import PERSON_FIELDS_NOT_LISTED, name_for_display


def can_see_cases(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.VIEW_CASES)  # type: ignore[union-attr]


def can_see_identities(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.VIEW_IDENTITIES)  # type: ignore[union-attr]


def can_edit_cases(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.EDIT_CASES)  # type: ignore[union-attr]


def cases_for_user(membership: Membership | None, *, among: QuerySet[Any] | None = None):
    """Return the cases the member may see (of ``among``, a query of all cases: by default
    ``Case.objects.all()``, or a values query of them)."""
    cases = Case.objects.all() if among is None else among
    if not can_see_cases(membership):
        return cases.none()
    assert membership is not None
    return cases.filter(organisation_id=membership.organisation_id)


def get_case_for_user(membership: Membership | None, code: str, *, write: bool = False) -> Case:
    """Return the case with ``code`` if the member may see it (or change it, with ``write``)."""
    if write and not can_edit_cases(membership):
        raise Http404
    case = (
        cases_for_user(membership)
        .select_related(
            "person",
            "assigned_to",
            "trafficking_status",
            "recruitment_type",
            "person__county_of_origin",
            "person__nationality",
        )
        .filter(code=code)
        .first()
    )
    if case is None:
        raise Http404
    return case


def get_case_by_reference_for_user(membership: Membership | None, reference: str) -> Case | None:
    """Return the member's case with this human reference, if any."""
    return cases_for_user(membership).filter(reference=reference.strip().upper()).first()


@dataclass(frozen=True)
class CaseFilters:
    """The filters of the case list; empty values filter nothing."""

    status: str = ""
    county: int | None = None
    exploitation_type: int | None = None
    sex: str = ""
    assigned_to_me: bool = False


PAGE_SIZE = 25
UNLISTED_FIELDS = ("narrative", *(f"person__{name}" for name in PERSON_FIELDS_NOT_LISTED))


def filtered_cases_for_user(
    membership: Membership | None, filters: CaseFilters, *, among: QuerySet[Any] | None = None
):
    """Return the member's cases that match ``filters`` (of ``among``, see ``cases_for_user``)."""
    cases = cases_for_user(membership, among=among)
    if filters.status:
        cases = cases.filter(status=filters.status)
    # The survivor's county and sex are read from their copies on the case: each filter is then
    # one index range of (organisation, value, id), in the list's order.
    if filters.county:
        cases = cases.filter(survivor_county_id=filters.county)
    if filters.sex:
        cases = cases.filter(survivor_sex=filters.sex)
    if filters.exploitation_type:
        # EXISTS, not a join: tested on each case in the list's order before the survivor's row
        # is read. With a join SQLite read the survivor of every case it walked past, and a
        # rare type (organ removal) walked past thousands for a page: 30 ms on a million.
        links = Case.exploitation_types.through.objects.filter(
            case_id=OuterRef("pk"), codelistitem_id=filters.exploitation_type
        )
        cases = cases.filter(Exists(links))
    if filters.assigned_to_me and membership is not None:
        cases = cases.filter(assigned_to_id=membership.user_id)
    return cases


def with_case_for_rows(rows: QuerySet[Any], membership: Membership | None, *, via: str = "case"):
    """``rows`` with what a line naming their case shows, loaded in the same query: the case,
    its caseworker and, for members who see identities, the survivor (names only: the birth
    date, phone and document numbers and the narrative are neither loaded nor decrypted).

    ``via`` is the path from a row to its case ("case", "plan__case"...; "" for cases). Without
    identities the survivor is not loaded at all: never read ``case.person`` from such rows.
    """
    prefix = f"{via}__" if via else ""
    related = [f"{prefix}assigned_to"]
    deferred = [f"{prefix}narrative"]
    if can_see_identities(membership):
        related.append(f"{prefix}person")
        deferred = [f"{prefix}{name}" for name in UNLISTED_FIELDS]
    return rows.select_related(*related).defer(*deferred)


def quiet_cases_for_user(membership: Membership | None, *, since: datetime.datetime):
    """The member's own open cases with nothing on their timeline since ``since`` (and opened
    before it), the longest quiet first, with ``last_activity`` (the latest event's time)."""
    if not can_edit_cases(membership):
        return Case.objects.none()
    assert membership is not None
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at").values("at")[:1]
    cases = (
        cases_for_user(membership)
        .open()
        .filter(assigned_to_id=membership.user_id, opened_at__lt=since)
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), at__gte=since)))
        .annotate(last_activity=Subquery(latest))
    )
    return with_case_for_rows(cases, membership, via="").order_by("last_activity", "id")


def unassigned_cases_for_user(membership: Membership | None):
    """The organisation's open cases that nobody is assigned to, oldest first (supervisors)."""
    if not (membership and membership.can(Capability.SUPERVISE)):
        return Case.objects.none()
    cases = cases_for_user(membership).open().filter(assigned_to__isnull=True)
    return with_case_for_rows(cases, membership, via="").order_by("id")


def caseload_for_user(membership: Membership | None) -> QuerySet[Any]:
    """The organisation's open cases counted by caseworker and status, as rows of
    (caseworker's user id or None, their name or None, status, number). Supervisors only."""
    if not (membership and membership.can(Capability.SUPERVISE)):
        return Case.objects.none().values_list("assigned_to_id")
    return (
        cases_for_user(membership)
        .open()
        .order_by()
        .values_list("assigned_to_id", "assigned_to__full_name", "status")
        .annotate(number=Count("id"))
    )


def case_page_for_user(
    membership: Membership | None,
    filters: CaseFilters,
    *,
    after: str | None = None,
    page_size: int = PAGE_SIZE,
) -> tuple[list[Case], str | None]:
    """Return one page of the member's cases, newest first, and the cursor of the next page.

    Keyset pagination: the cursor is the opaque code of the last case shown, so the page costs
    the same at any depth and no sequential id reaches the URL. (The web list reads its lines
    as values: ``case_list_page_for_user``.)
    """
    cases = _after(filtered_cases_for_user(membership, filters), membership, after)
    rows = list(
        cases.select_related("person", "person__county_of_origin", "survivor_county", "assigned_to")
        # A list shows no narrative, birth date, phone or document number: not decrypting them
        # for every row is a good part of the page's time.
        .defer(*UNLISTED_FIELDS)
        .prefetch_related("exploitation_types")
        .order_by("-id")[: page_size + 1]
    )
    next_cursor = rows[page_size - 1].code if len(rows) > page_size else None
    return rows[:page_size], next_cursor


# Larger than any case id (a BigAutoField): the bound of a page after an unknown cursor.
_NO_CURSOR_BOUND = 2**63 - 1


def _after(cases: QuerySet[Case], membership: Membership | None, after: str | None):
    """``cases`` older than the case whose code is ``after`` (from the top on an unknown one).

    The cursor's id is read by a subquery of the page's own statement, not a query of its own;
    an unknown code gives no id, and the page starts from the top.
    """
    if not after:
        return cases
    cursor = cases_for_user(membership).filter(code=after).order_by().values("id")[:1]
    # The bound typed as a bigint: PostgreSQL would be sent it as a (wrapping) 4-byte integer.
    bound = Coalesce(Subquery(cursor), Value(_NO_CURSOR_BOUND, output_field=BigIntegerField()))
    return cases.filter(id__lt=bound)


@dataclass(frozen=True)
class CaseListEntry:
    """What a line of a case table shows, read as plain values: no model is built per row.

    ``survivor`` is the survivor's display name, or "" when it was not read (no identities);
    ``types`` the names of the case's types of exploitation in the active language, in the code
    list's order.
    """

    pk: int
    code: str
    reference: str
    status: str
    survivor_sex: str
    opened_at: datetime.datetime
    county: str
    caseworker: str
    survivor: str
    types: tuple[str, ...]


_ENTRY_FIELDS = (
    "pk",
    "code",
    "reference",
    "status",
    "survivor_sex",
    "opened_at",
    "survivor_county__name",
    "survivor_county__name_sw",
    "assigned_to__full_name",
)
_NAME_FIELDS = ("person__given_name", "person__other_names", "person__family_name")


class JSONArrays(Aggregate):
    """A group's rows as one JSON array of arrays (as text, in no order): ``[[a, b], [c, d]]``.

    In SQLite's words ``JSON_GROUP_ARRAY(JSON_ARRAY(...))``, in PostgreSQL's
    ``JSON_AGG(JSON_BUILD_ARRAY(...))``; Django 5.2 has no aggregate that builds a list on both.
    """

    template = "JSON_GROUP_ARRAY(JSON_ARRAY(%(expressions)s))"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "JSON_AGG(JSON_BUILD_ARRAY(%(expressions)s))::text"
        return self.as_sql(compiler, connection, template=template, **extra_context)


@cache
def _exploitation_types_of_case() -> Subquery:
    """Per case, its types of exploitation as ``[[list, sort order, name, name_sw], ...]``.

    Built once per process (it depends on nothing of the request; each query resolves a copy):
    building it took a fifth of the list's query time.
    """
    types = (
        Case.exploitation_types.through.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(
            types=JSONArrays(
                "codelistitem__list",
                "codelistitem__sort_order",
                "codelistitem__name",
                "codelistitem__name_sw",
            )
        )
    )
    return Subquery(types.values("types"))  # type: ignore[misc]  # django-stubs: annotation


def _type_names(types: str | None, sw: bool) -> tuple[str, ...]:
    """The names of ``_exploitation_types_of_case``'s items, ordered as the code list (list,
    sort order, name) and in the active language as ``BilingualLabelMixin.label`` chooses."""
    if not types:
        return ()
    items = sorted(json.loads(types), key=lambda item: (item[0], item[1], item[2]))
    return tuple(name_sw if sw and name_sw else name for _list, _order, name, name_sw in items)


def _table_columns(with_names: bool) -> tuple[str, ...]:
    return _ENTRY_FIELDS + ((*_NAME_FIELDS, "person__erased_at") if with_names else ())


@cache
def _case_table_rows(with_names: bool) -> QuerySet[Any]:
    """Every case as the values of a case table's line (never read itself: each page filters
    a copy). Built once per process: setting up its dozen columns and the types' subquery took a
    fifth of the list's time, and they depend on nothing of the request."""
    return Case.objects.values_list(*_table_columns(with_names), _exploitation_types_of_case())


def _entries(rows: QuerySet[Any], *, with_names: bool) -> list[CaseListEntry]:
    """The ``CaseListEntry`` of each row of a ``_case_table_rows`` query."""
    sw = (get_language() or "en").startswith("sw")
    entries = []
    for values in rows:
        pk, code, reference, status, sex, opened_at, county, county_sw, caseworker = values[:9]
        entries.append(
            CaseListEntry(
                pk=pk,
                code=code,
                reference=reference,
                status=status,
                survivor_sex=sex,
                opened_at=opened_at,
                county=(county_sw if sw and county_sw else county) or "",
                caseworker=caseworker or "",
                survivor=name_for_display(*values[9:-1]) if with_names else "",
                types=_type_names(values[-1], sw),
            )
        )
    return entries


def case_list_entries(cases: QuerySet[Case], *, with_names: bool) -> list[CaseListEntry]:
    """The lines of ``cases`` (already filtered, ordered and sliced) for a case table.

    One query of values, the types of exploitation included (as JSON, by a subquery): only the
    survivor's names are decrypted (``with_names``, for members who see identities), never the
    narrative, birth date, phones or documents. The page of 25 rows cost about five models each
    (case, person, county of origin, county, caseworker) and a second query for the types.
    """
    rows = cases.values_list(*_table_columns(with_names), _exploitation_types_of_case())
    return _entries(rows, with_names=with_names)


def case_list_page_for_user(
    membership: Membership | None,
    filters: CaseFilters,
    *,
    after: str | None = None,
    page_size: int = PAGE_SIZE,
) -> tuple[list[CaseListEntry], str | None]:
    """``case_page_for_user`` as lines for the case list page (``case_list_entries``, one
    query); names only for members who see identities."""
    with_names = can_see_identities(membership)
    rows = filtered_cases_for_user(membership, filters, among=_case_table_rows(with_names))
    rows = _after(rows, membership, after).order_by("-id")[: page_size + 1]
    entries = _entries(rows, with_names=with_names)
    next_cursor = entries[page_size - 1].code if len(entries) > page_size else None
    return entries[:page_size], next_cursor


EXPORT_LIMIT = 50_000


def cases_for_export(membership: Membership | None, filters: CaseFilters):
    """Return the member's cases matching ``filters`` for an export, oldest first."""
    return (
        filtered_cases_for_user(membership, filters)
        .select_related(
            "person",
            "person__county_of_origin",
            "person__sub_county_of_origin",
            "person__nationality",
            "assigned_to",
            "trafficking_status",
            "recruitment_type",
        )
        .prefetch_related(
            "exploitation_types",
            "labour_industries",
            "methods_of_control",
            "countries_of_origin",
            "countries_of_transit",
            "countries_of_exploitation",
        )
        .order_by("id")
    )
