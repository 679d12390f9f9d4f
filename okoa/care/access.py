"""Loading care records (assessments, the care plan, its goals and services) for a member.

Contract: care records are reached only through these functions, under the rules of their case
(``okoa.cases.access``): another organisation's, a missing one and one the role may not see all
raise the same Http404. Data analysts see areas, levels, counts, statuses and dates but never
free text (assessment notes and goal descriptions are deferred for them) nor names
(``can_see_care_text``). Hotline operators see no care records. Recording each read
(``record_access``) is the caller's job, as for cases.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.care.models import (
    RISK_ORDER,
    BusinessPlan,
    CareGoal,
    CarePlan,
    CareService,
    FollowUpVisit,
    LegalProcess,
    NeedsAssessment,
    Reintegration,
    RiskLevel,
)
from okoa.cases.access import can_edit_cases, can_see_identities, get_case_for_user
from okoa.cases.models import Case
from okoa.people.models import Person


def can_see_care_text(membership: Membership | None) -> bool:
    """Whether the member may read names, notes and goal descriptions."""
    return can_see_identities(membership)


def can_edit_care(membership: Membership | None) -> bool:
    """Whether the member may record assessments and change care plans."""
    return can_edit_cases(membership)


def get_case_for_care(membership: Membership | None, code: str, *, write: bool = False) -> Case:
    """Return the case whose care records are wanted; the case's own rules apply."""
    if write and not can_edit_care(membership):
        raise Http404
    return get_case_for_user(membership, code, write=write)


def assessments_of_case_for_user(
    membership: Membership | None, case: Case
) -> list[NeedsAssessment]:
    """The case's needs assessments, newest first (the case must come from access)."""
    assessments = NeedsAssessment.objects.filter(case=case).select_related("assessed_by")
    if not can_see_care_text(membership):
        assessments = assessments.defer("notes")
    return list(assessments)


def care_plan_for_user(membership: Membership | None, case: Case) -> CarePlan | None:
    """The case's care plan with goals and services prefetched, or None if not started."""
    plan = CarePlan.objects.filter(case=case).first()
    if plan is None:
        return None
    goals: QuerySet[CareGoal] = CareGoal.objects.filter(plan=plan)
    if not can_see_care_text(membership):
        goals = goals.defer("description")
    plan.goal_list = list(goals)  # type: ignore[attr-defined]
    plan.service_list = list(  # type: ignore[attr-defined]
        CareService.objects.filter(plan=plan).select_related("beneficiary", "provider_organisation")
    )
    return plan


def get_care_service_for_user(
    membership: Membership | None, case: Case, code: str, *, write: bool = False
) -> CareService:
    """Return the service ``code`` of the case's plan."""
    if write and not can_edit_care(membership):
        raise Http404
    service = (
        CareService.objects.filter(plan__case=case, code=code)
        .select_related("plan__case", "beneficiary", "provider_organisation")
        .first()
    )
    if service is None:
        raise Http404
    return service


def beneficiaries_for_case(case: Case) -> QuerySet[Person]:
    """The people a service may be for: the survivor and their dependants."""
    return Person.objects.filter(organisation_id=case.organisation_id).filter(
        Q(pk=case.person_id) | Q(parent_id=case.person_id)
    )


def reintegration_of_case(case: Case) -> Reintegration | None:
    """The case's reintegration, if it has started."""
    return Reintegration.objects.filter(case=case).first()


def follow_ups_of_case_for_user(membership: Membership | None, case: Case) -> list[FollowUpVisit]:
    """The case's follow-up visits in schedule order (notes deferred for analysts)."""
    visits = FollowUpVisit.objects.filter(case=case).select_related("visited_by")
    if not can_see_care_text(membership):
        visits = visits.defer("notes")
    return list(visits)


def risk_trend(visits: list[FollowUpVisit]) -> list[FollowUpVisit]:
    """The recorded visits, oldest first: the risk level of each makes the trend."""
    return [visit for visit in visits if visit.is_recorded]


def risk_is_rising(visits: list[FollowUpVisit]) -> bool:
    """Whether the latest recorded risk is higher than the one before it."""
    recorded = risk_trend(visits)
    if len(recorded) < 2:
        return False
    before, latest = recorded[-2].risk_level, recorded[-1].risk_level
    return RISK_ORDER[RiskLevel(latest)] > RISK_ORDER[RiskLevel(before)]


def get_follow_up_visit_for_user(
    membership: Membership | None, case: Case, code: str, *, write: bool = False
) -> FollowUpVisit:
    """Return the follow-up visit ``code`` of the case."""
    if write and not can_edit_care(membership):
        raise Http404
    visits = FollowUpVisit.objects.filter(case=case, code=code)
    if not can_see_care_text(membership):
        visits = visits.defer("notes")
    visit = visits.first()
    if visit is None:
        raise Http404
    return visit


def overdue_follow_ups_for_user(
    membership: Membership | None, today: datetime.date
) -> list[FollowUpVisit]:
    """Follow-up visits due before today and not recorded, on cases that are not closed.

    A supervisor sees every caseworker's, ordered by caseworker; a caseworker sees those of the
    cases assigned to them. Other roles see none.
    """
    if not can_edit_care(membership):
        return []
    assert membership is not None
    visits = FollowUpVisit.objects.filter(
        case__organisation_id=membership.organisation_id,
        visited_on__isnull=True,
        due_on__lt=today,
    ).exclude(case__status=Case.Status.CLOSED)
    if not membership.can(Capability.SUPERVISE):
        visits = visits.filter(case__assigned_to_id=membership.user_id)
    return list(
        visits.select_related("case", "case__assigned_to")
        .defer("notes")
        .order_by("case__assigned_to__full_name", "due_on", "id")
    )


def legal_process_of_case(case: Case) -> LegalProcess | None:
    """The case's legal process with its hearings, if recorded (references and categories)."""
    return LegalProcess.objects.filter(case=case).prefetch_related("hearings").first()


def business_plan_of_case(case: Case) -> BusinessPlan | None:
    """The case's business plan with its payments and checks (amounts and categories only)."""
    return (
        BusinessPlan.objects.filter(case=case)
        .select_related("approved_by")
        .prefetch_related("disbursements", "checks")
        .first()
    )
