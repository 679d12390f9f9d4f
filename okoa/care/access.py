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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.care.models import (
    RISK_ORDER,
    BusinessPlan,
    CareGoal,
    CarePlan,
    CareService,
    FollowUpPolicy,
    FollowUpVisit,
    Hearing,
    LegalProcess,
    NeedsAssessment,
    Reintegration,
    RiskLevel,
)
from okoa.cases.access import (
    can_edit_cases,
    can_see_identities,
    cases_for_user,
    get_case_for_user,
    with_case_for_rows,
)
from okoa.cases.models import Case, CaseEvent
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


def follow_up_policy_for(organisation_id: int) -> FollowUpPolicy:
    """The organisation's follow-up policy; an unsaved default one if it never chose."""
    policy = (
        FollowUpPolicy.objects.filter(organisation_id=organisation_id)
        .select_related("updated_by")
        .first()
    )
    return policy or FollowUpPolicy(organisation_id=organisation_id)


def can_set_follow_up_policy(membership: Membership | None) -> bool:
    """Whether the member chooses the organisation's follow-up schedule (supervisors, admins)."""
    return bool(membership) and membership.can(Capability.SUPERVISE)  # type: ignore[union-attr]


def get_follow_up_policy_for_user(membership: Membership | None) -> FollowUpPolicy:
    """The member's organisation's follow-up policy; 404 for those who may not set it."""
    if not can_set_follow_up_policy(membership):
        raise Http404
    assert membership is not None
    return follow_up_policy_for(membership.organisation_id)


def overdue_before(organisation_id: int, today: datetime.date) -> datetime.date:
    """Visits not recorded and due before this day are overdue (the policy's days late)."""
    days = (
        FollowUpPolicy.objects.filter(organisation_id=organisation_id)
        .values_list("overdue_after_days", flat=True)
        .first()
    )
    return today - datetime.timedelta(days=days or 0)


def overdue_follow_ups_for_user(
    membership: Membership | None, today: datetime.date
) -> list[FollowUpVisit]:
    """Follow-up visits overdue today (see ``overdue_before``), on cases that are not closed.

    A supervisor sees every caseworker's, ordered by caseworker; a caseworker sees those of the
    cases assigned to them. Other roles see none.
    """
    if not can_edit_care(membership):
        return []
    assert membership is not None
    visits = FollowUpVisit.objects.filter(
        case__organisation_id=membership.organisation_id,
        visited_on__isnull=True,
        due_on__lt=overdue_before(membership.organisation_id, today),
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


def get_care_goal_for_user(
    membership: Membership | None, case: Case, code: str, *, write: bool = False
) -> CareGoal:
    """Return the goal ``code`` of the case's plan (its description deferred for analysts)."""
    if write and not can_edit_care(membership):
        raise Http404
    goals = CareGoal.objects.filter(plan__case=case, code=code).select_related("plan")
    if not can_see_care_text(membership):
        goals = goals.defer("description")
    goal = goals.first()
    if goal is None:
        raise Http404
    return goal


# The dashboards' questions (okoa.dashboards). Each returns a query of the member's own open
# cases' records ("mine": the cases assigned to the member) or, for supervisors, the
# organisation's; other roles get none. Rows come with their case (``with_case_for_rows``), so
# that a list costs one query however long it is.


def _mine(membership: Membership, via: str = "case") -> Q:
    """The member's own cases that are not closed, seen from a record ``via`` its case."""
    return Q(
        **{
            f"{via}__organisation_id": membership.organisation_id,
            f"{via}__assigned_to_id": membership.user_id,
        }
    ) & ~Q(**{f"{via}__status": Case.Status.CLOSED})


def _organisation(membership: Membership, via: str = "case") -> Q:
    """The organisation's cases that are not closed, seen from a record ``via`` its case."""
    return Q(**{f"{via}__organisation_id": membership.organisation_id}) & ~Q(
        **{f"{via}__status": Case.Status.CLOSED}
    )


def _supervises(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.SUPERVISE)  # type: ignore[union-attr]


def follow_ups_due_for_user(
    membership: Membership | None, *, until: datetime.date
) -> QuerySet[FollowUpVisit]:
    """The visits of the member's own cases not yet recorded and due by ``until`` (overdue ones
    included), soonest due first."""
    if not can_edit_care(membership):
        return FollowUpVisit.objects.none()
    assert membership is not None
    visits = FollowUpVisit.objects.filter(_mine(membership), visited_on__isnull=True)
    return with_case_for_rows(visits.filter(due_on__lte=until).defer("notes"), membership).order_by(
        "due_on", "id"
    )


def services_to_record_for_user(membership: Membership | None) -> QuerySet[CareService]:
    """Services of the member's own cases in progress with fewer sessions or items delivered
    than planned (counselling sessions to record...), the longest unchanged first."""
    if not can_edit_care(membership):
        return CareService.objects.none()
    assert membership is not None
    services = CareService.objects.filter(
        _mine(membership, "plan__case"),
        status=CareService.Status.IN_PROGRESS,
        planned_count__gt=F("delivered_count"),
    )
    return with_case_for_rows(services, membership, via="plan__case").order_by("updated_at", "id")


def goals_due_for_user(
    membership: Membership | None, *, until: datetime.date
) -> QuerySet[CareGoal]:
    """Open goals of the member's own cases whose target date is ``until`` or earlier, the
    earliest first (descriptions deferred for members who may not read them)."""
    if not can_edit_care(membership):
        return CareGoal.objects.none()
    assert membership is not None
    goals = CareGoal.objects.filter(
        _mine(membership, "plan__case"), status=CareGoal.Status.OPEN, target_on__lte=until
    )
    if not can_see_care_text(membership):
        goals = goals.defer("description")
    return with_case_for_rows(goals, membership, via="plan__case").order_by("target_on", "id")


def hearings_for_user(
    membership: Membership | None, *, start: datetime.date, until: datetime.date
) -> QuerySet[Hearing]:
    """Hearings of the member's own cases from ``start`` to ``until``, the soonest first."""
    if not can_edit_care(membership):
        return Hearing.objects.none()
    assert membership is not None
    hearings = Hearing.objects.filter(
        _mine(membership, "legal_process__case"), held_on__gte=start, held_on__lte=until
    )
    return with_case_for_rows(
        hearings.select_related("legal_process"), membership, via="legal_process__case"
    ).order_by("held_on", "id")


def returned_closures_for_user(
    membership: Membership | None, *, since: datetime.datetime
) -> QuerySet[CaseEvent]:
    """Closure requests the member made that a supervisor returned since ``since``: the
    return's timeline entry (its encrypted ``text`` says why), while the case is still in care
    and nothing has changed its status since, the latest first."""
    if not can_edit_care(membership):
        return CaseEvent.objects.none()
    assert membership is not None
    status_changes = CaseEvent.objects.filter(
        case=OuterRef("case"), kind=CaseEvent.Kind.STATUS_CHANGED
    )
    # Timeline ids grow with time: "before" and "after" the return are smaller and larger ids.
    requester = (
        status_changes.filter(id__lt=OuterRef("id"), data__to=Case.Status.CLOSURE_REQUESTED)
        .order_by("-id")
        .values("by_id")[:1]
    )
    returns = (
        CaseEvent.objects.filter(
            case__organisation_id=membership.organisation_id,
            case__status=Case.Status.IN_CARE,
            kind=CaseEvent.Kind.STATUS_CHANGED,
            data__previous=Case.Status.CLOSURE_REQUESTED,
            data__to=Case.Status.IN_CARE,
            at__gte=since,
        )
        .annotate(requested_by_id=Subquery(requester))
        .filter(requested_by_id=membership.user_id)
        .exclude(Exists(status_changes.filter(id__gt=OuterRef("id"))))
    )
    return with_case_for_rows(returns.select_related("by"), membership).order_by("-id")


def closure_requests_waiting_for_user(membership: Membership | None):
    """The organisation's cases waiting for a supervisor to approve or return their closure,
    the longest waiting first, with ``requested_at`` and ``requested_by`` (a name) annotated.
    Supervisors only."""
    if not _supervises(membership):
        return Case.objects.none()
    requests = CaseEvent.objects.filter(
        case=OuterRef("pk"),
        kind=CaseEvent.Kind.STATUS_CHANGED,
        data__to=Case.Status.CLOSURE_REQUESTED,
    ).order_by("-id")
    cases = cases_for_user(membership).filter(status=Case.Status.CLOSURE_REQUESTED)
    return with_case_for_rows(
        cases.annotate(
            requested_at=Subquery(requests.values("at")[:1]),
            requested_by=Subquery(requests.values("by__full_name")[:1]),
        ),
        membership,
        via="",
    ).order_by("requested_at", "id")


def grants_waiting_for_user(membership: Membership | None) -> QuerySet[BusinessPlan]:
    """Business plans of the organisation's open cases whose grant waits for a supervisor's
    approval, oldest first. Supervisors only."""
    if not _supervises(membership):
        return BusinessPlan.objects.none()
    assert membership is not None
    plans = BusinessPlan.objects.filter(
        _organisation(membership), status=BusinessPlan.Status.SUBMITTED
    )
    return with_case_for_rows(plans, membership).order_by("id")


def overdue_follow_up_counts_for_user(
    membership: Membership | None, *, before: datetime.date
) -> list[tuple[int | None, str | None, int]]:
    """How many follow-ups due before ``before`` (``overdue_before``) are not recorded, on each
    caseworker's open cases: (user id or None for unassigned cases, their name, number), the
    most first. Supervisors only."""
    if not _supervises(membership):
        return []
    assert membership is not None
    rows = (
        FollowUpVisit.objects.filter(
            _organisation(membership), visited_on__isnull=True, due_on__lt=before
        )
        .order_by()
        .values_list("case__assigned_to_id", "case__assigned_to__full_name")
        .annotate(number=Count("id"))
    )
    return sorted(rows, key=lambda row: (-row[2], row[1] or ""))


def cases_with_rising_risk_for_user(membership: Membership | None):
    """The organisation's open cases whose latest recorded follow-up found a high
    re-trafficking risk, or a higher one than the visit before (``risk_is_rising``), with
    ``latest_risk``, ``previous_risk`` and ``latest_visit_on`` annotated; high risk first.
    Supervisors only."""
    if not _supervises(membership):
        return Case.objects.none()
    # Schedule order, as ``risk_trend`` reads the visits: the latest recorded one is the last
    # due. With three levels, "rising or high" is: high now, or medium after low.
    recorded = FollowUpVisit.objects.filter(case=OuterRef("pk"), visited_on__isnull=False).order_by(
        "-due_on", "-id"
    )
    cases = (
        cases_for_user(membership)
        .open()
        .annotate(
            latest_risk=Subquery(recorded.values("risk_level")[:1]),
            previous_risk=Subquery(recorded.values("risk_level")[1:2]),
            latest_visit_on=Subquery(recorded.values("visited_on")[:1]),
        )
        .filter(
            Q(latest_risk=RiskLevel.HIGH)
            | Q(latest_risk=RiskLevel.MEDIUM, previous_risk=RiskLevel.LOW)
        )
    )
    # "high" sorts before "medium": high risk first, then the latest visits first.
    return with_case_for_rows(cases, membership, via="").order_by(
        "latest_risk", "-latest_visit_on", "id"
    )
