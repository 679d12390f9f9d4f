"""Loading screenings for a member.

Contract: screenings are reached only through these functions, under the rules of their case
(``okoa.cases.access``): another organisation's screening, a missing one and one the role may not
see all raise the same Http404. Data analysts see answers, suggestions and decisions (case
attributes) but never the free text: notes and decision reasons are not even loaded (deferred)
for them, and ``can_see_screening_notes`` tells templates. Hotline operators see no screenings.
Recording each read (``record_access`` with ``record_kind="screening"``) is the caller's job, as
for cases.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from okoa.accounts.models import Membership
from okoa.cases.access import can_edit_cases, can_see_cases, can_see_identities, get_case_for_user
from okoa.cases.models import Case
from okoa.screening.models import Screening, ScreeningAnswer


def can_see_screening_notes(membership: Membership | None) -> bool:
    """Whether the member may read notes and decision reasons (free text about the person)."""
    return can_see_identities(membership)


def can_screen(membership: Membership | None) -> bool:
    """Whether the member may record and decide screenings."""
    return can_edit_cases(membership)


def screenings_for_user(membership: Membership | None) -> QuerySet[Screening]:
    """Return the case screenings the member may see, free text deferred for analysts.

    Only screenings of cases for now: screenings of intake reports, when they come, need the
    intake rules (reports are closed to analysts) and their own function.
    """
    if not can_see_cases(membership):
        return Screening.objects.none()
    assert membership is not None
    screenings = Screening.objects.filter(
        organisation_id=membership.organisation_id, case__isnull=False
    )
    if not can_see_screening_notes(membership):
        screenings = screenings.defer("decision_reason")
    return screenings


def get_case_for_screening(
    membership: Membership | None, code: str, *, write: bool = False
) -> Case:
    """Return the case whose screenings are wanted; the case's own rules apply."""
    return get_case_for_user(membership, code, write=write)


def screenings_of_case_for_user(membership: Membership | None, case: Case) -> list[Screening]:
    """The case's screenings, newest first, with who screened and who decided."""
    return list(
        screenings_for_user(membership)
        .filter(case=case)
        .select_related("screened_by", "decided_by")
        .order_by("-screened_at", "-id")
    )


def latest_screening_for_user(membership: Membership | None, case: Case) -> Screening | None:
    """The case's most recent screening, if any."""
    return (
        screenings_for_user(membership)
        .filter(case=case)
        .select_related("decided_by")
        .order_by("-screened_at", "-id")
        .first()
    )


def get_screening_for_user(
    membership: Membership | None, case: Case, code: str, *, write: bool = False
) -> Screening:
    """Return the screening ``code`` of ``case`` with its answers (and, where allowed, notes)."""
    if write and not can_screen(membership):
        raise Http404
    answers = ScreeningAnswer.objects.select_related("item")
    if not can_see_screening_notes(membership):
        answers = answers.defer("note")
    screening = (
        screenings_for_user(membership)
        .filter(case=case, code=code)
        .select_related("screened_by", "decided_by")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .first()
    )
    if screening is None:
        raise Http404
    return screening
