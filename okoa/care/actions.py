"""Record needs assessments, change care plans, schedule follow-ups, close and reopen cases.

Contract: every action is one transaction, checks its inputs before writing anything (errors
name the fields), and leaves an entry on the case's timeline (CaseEvent) and a change record
naming the fields. Timeline data holds codes, categories and field names, never names or free
text. The plan, each goal and each service carry a ``version``: with ``expected_version``, a
change based on an outdated copy is refused with ``StaleEdit`` naming the fields somebody else
changed.
Closure goes through ``okoa.cases.actions.change_case_status`` (its timeline entry keeps the
reason, encrypted, in its ``text``); closing needs a supervisor.
"""

from __future__ import annotations

import calendar
import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership, Organisation, User
from okoa.audit.actions import record_change
from okoa.audit.models import ChangeRecord
from okoa.care.models import (
    DEFAULT_FOLLOW_UP_MONTHS,
    MAX_FOLLOW_UP_MONTH,
    MAX_FOLLOW_UP_VISITS,
    MAX_OVERDUE_AFTER_DAYS,
    PROVIDER_NAME_LIMIT,
    BusinessCheck,
    BusinessPlan,
    CareArea,
    CareGoal,
    CarePlan,
    CareService,
    Disbursement,
    FollowUpPolicy,
    FollowUpVisit,
    Hearing,
    LegalProcess,
    NeedLevel,
    NeedsAssessment,
    Reintegration,
    RiskFactor,
    risk_level_of,
)
from okoa.cases.actions import change_case_status, record_event
from okoa.cases.models import Case, CaseEvent
from okoa.people.models import Person

SERVICE_FIELDS = (
    "beneficiary",
    "kind",
    "status",
    "provider_organisation",
    "provider_name",
    "planned_count",
    "delivered_count",
    "screening_outcome",
    "starts_on",
    "ends_on",
)


class StaleEdit(ValidationError):
    """Somebody else saved the record after it was opened for editing."""


def changed_since(record_kind: str, record_code: str, version: int, current: int) -> list[str]:
    """The fields changed between ``version`` and ``current``: one change record per version."""
    records = ChangeRecord.objects.filter(
        record_kind=record_kind, record_code=record_code
    ).order_by("-at", "-id")[: max(current - version, 0)]
    return sorted({name for record in records for name in record.fields})


def _refuse_stale(record_kind: str, record_code: str, expected: int | None, current: int) -> None:
    if expected is None or expected == current:
        return
    fields = changed_since(record_kind, record_code, expected, current)
    raise StaleEdit(
        _(
            "Somebody else saved this after you opened it (changed: %(fields)s). "
            "Reload the page to see their changes, then edit again."
        )
        % {"fields": ", ".join(fields) or _("unknown")}
    )


@transaction.atomic
def record_needs_assessment(
    case: Case,
    *,
    by: User,
    assessed_on: datetime.date,
    levels: dict[str, str],
    notes: str = "",
) -> NeedsAssessment:
    """Record a needs assessment of the case's survivor; earlier ones are kept."""
    errors: dict[str, list[str]] = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = [_("This date is in the future.")]
    if assessed_on < case.opened_at.date():
        errors["assessed_on"] = [_("The assessment cannot be before the case was opened.")]
    for area, level in levels.items():
        if area not in CareArea.values:
            raise ValueError(f"Not an area of care: {area}")
        if level not in NeedLevel.values:
            errors[area] = [_("Choose a level of need.")]
    if errors:
        raise ValidationError(errors)
    assessment = NeedsAssessment.objects.create(
        case=case, assessed_by=by, assessed_on=assessed_on, notes=notes.strip(), **levels
    )
    urgent = sorted(area for area, level in levels.items() if level == NeedLevel.URGENT)
    record_event(
        case, CaseEvent.Kind.NEEDS_ASSESSED, by=by, assessment=assessment.code, urgent=urgent
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="needs_assessment",
        record_code=assessment.code,
        action="created",
        fields=[*levels, *(["notes"] if notes.strip() else [])],
        by=by,
    )
    return assessment


def _plan_for_change(case: Case, expected_version: int | None, *, by: User) -> CarePlan:
    """The case's plan, locked for this transaction (started if there is none yet)."""
    plan, created = CarePlan.objects.select_for_update().get_or_create(case=case)
    if created:
        record_change(
            organisation_id=case.organisation_id,
            record_kind="care_plan",
            record_code=plan.code,
            action="created",
            by=by,
        )
    elif expected_version is not None:
        _refuse_stale("care_plan", plan.code, expected_version, plan.version)
    return plan


def _bump_plan(plan: CarePlan, fields: list[str], *, by: User) -> None:
    plan.version += 1
    plan.updated_at = timezone.now()
    plan.save(update_fields=["version", "updated_at"])
    record_change(
        organisation_id=plan.case.organisation_id,
        record_kind="care_plan",
        record_code=plan.code,
        action="updated",
        fields=fields,
        by=by,
    )


def _check_target(target_on: datetime.date | None, case: Case) -> dict[str, list[str]]:
    if target_on is None:
        return {"target_on": [_("Give the target date.")]}
    if target_on < case.opened_at.date():
        return {"target_on": [_("The target date cannot be before the case was opened.")]}
    return {}


@transaction.atomic
def add_care_goal(
    case: Case,
    *,
    by: User,
    area: str,
    description: str,
    target_on: datetime.date,
    expected_version: int | None = None,
) -> CareGoal:
    """Add a goal to the case's care plan (starting the plan if needed)."""
    errors = _check_target(target_on, case)
    if not description.strip():
        errors["description"] = [_("Describe the goal.")]
    if area not in CareArea.values:
        errors["area"] = [_("Choose an area of care.")]
    if errors:
        raise ValidationError(errors)
    plan = _plan_for_change(case, expected_version, by=by)
    goal = CareGoal.objects.create(
        plan=plan, area=area, description=description.strip(), target_on=target_on
    )
    _bump_plan(plan, ["goals"], by=by)
    record_event(case, CaseEvent.Kind.CARE_GOAL_ADDED, by=by, goal=goal.code, area=area)
    return goal


@transaction.atomic
def set_care_goal_status(
    goal: CareGoal, *, status: str, by: User, expected_version: int | None = None
) -> None:
    """Mark a goal achieved, dropped or open again; the same status is a no-op."""
    if status not in CareGoal.Status.values:
        raise ValidationError({"status": [_("Choose a status.")]})
    plan = _plan_for_change(goal.plan.case, expected_version, by=by)
    if goal.status == status:
        return
    # The goal's own version moves too, so that its edit page sees this change.
    CareGoal.objects.filter(pk=goal.pk).update(
        status=status, version=F("version") + 1, updated_at=timezone.now()
    )
    goal.refresh_from_db(fields=["status", "version", "updated_at"])
    _bump_plan(plan, ["goals"], by=by)
    record_event(plan.case, CaseEvent.Kind.CARE_GOAL_CHANGED, by=by, goal=goal.code, status=status)
    record_change(
        organisation_id=plan.case.organisation_id,
        record_kind="care_goal",
        record_code=goal.code,
        action="updated",
        fields=["status"],
        by=by,
    )


GOAL_FIELDS = ("area", "description", "target_on", "status", "progress")


@transaction.atomic
def update_care_goal(
    goal: CareGoal, *, by: User, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Change a goal (its status, progress, target date...); return the names of changed fields.

    With ``expected_version`` (the goal's version when its page was opened), a change based on
    an outdated copy is refused naming what somebody else changed.
    """
    unknown = set(values) - set(GOAL_FIELDS)
    if unknown:
        raise ValueError(f"Not goal fields: {', '.join(sorted(unknown))}")
    # The plan first, then the goal: the same order as every other change to a plan's goals.
    plan = CarePlan.objects.select_for_update().select_related("case").get(pk=goal.plan_id)
    current = CareGoal.objects.select_for_update().get(pk=goal.pk)
    _refuse_stale("care_goal", current.code, expected_version, current.version)
    case = plan.case
    if isinstance(values.get("description"), str):
        values["description"] = values["description"].strip()
    merged = {name: getattr(current, name) for name in GOAL_FIELDS} | values
    errors: dict[str, list[str]] = {}
    if "target_on" in values:
        errors |= _check_target(merged["target_on"], case)
    if not merged["description"]:
        errors["description"] = [_("Describe the goal.")]
    if merged["area"] not in CareArea.values:
        errors["area"] = [_("Choose an area of care.")]
    if merged["status"] not in CareGoal.Status.values:
        errors["status"] = [_("Choose a status.")]
    if merged["progress"] not in CareGoal.Progress.values:
        errors["progress"] = [_("Choose the progress.")]
    if errors:
        raise ValidationError(errors)
    changed = [name for name in GOAL_FIELDS if merged[name] != getattr(current, name)]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, merged[name])
    current.version += 1
    current.updated_at = timezone.now()
    current.save(update_fields=[*changed, "version", "updated_at"])
    _bump_plan(plan, ["goals"], by=by)
    # The timeline names the fields and the categories, never the goal's text.
    record_event(
        case,
        CaseEvent.Kind.CARE_GOAL_CHANGED,
        by=by,
        goal=current.code,
        fields=sorted(changed),
        status=current.status,
        progress=current.progress,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="care_goal",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    goal.refresh_from_db()
    return changed


def _validate_service(values: dict[str, Any], case: Case) -> None:
    errors: dict[str, list[str]] = {}
    beneficiary: Person | None = values.get("beneficiary")
    if beneficiary is None or not (
        beneficiary.pk == case.person_id or beneficiary.parent_id == case.person_id
    ):
        errors["beneficiary"] = [_("Choose the survivor or one of their dependants.")]
    if values.get("kind") not in CareService.Kind.values:
        errors["kind"] = [_("Choose a service.")]
    planned, delivered = values.get("planned_count"), values.get("delivered_count") or 0
    if planned is not None and planned < 0:
        errors["planned_count"] = [_("A count cannot be negative.")]
    if delivered < 0:
        errors["delivered_count"] = [_("A count cannot be negative.")]
    elif planned is not None and planned >= 0 and delivered > planned:
        errors["delivered_count"] = [
            _("More delivered (%(delivered)s) than planned (%(planned)s).")
            % {"delivered": delivered, "planned": planned}
        ]
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("The service cannot end before it starts.")]
    other: Organisation | None = values.get("provider_organisation")
    if other is not None and values.get("provider_name", "").strip():
        errors["provider_name"] = [
            _("Give either another organisation or an outside provider, not both.")
        ]
    elif len(values.get("provider_name", "")) > PROVIDER_NAME_LIMIT:
        errors["provider_name"] = [
            _("Write at most %(limit)d characters.") % {"limit": PROVIDER_NAME_LIMIT}
        ]
    if other is not None and other.pk == case.organisation_id:
        values["provider_organisation"] = None  # the organisation itself is the default
    outcome = values.get("screening_outcome", "")
    if outcome and values.get("kind") != CareService.Kind.MEDICAL_SCREENING:
        errors["screening_outcome"] = [_("Only a medical screening has an outcome.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_care_service(case: Case, *, by: User, **values: Any) -> CareService:
    """Plan a service for the survivor or a dependant (starting the plan if needed)."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not service fields: {', '.join(sorted(unknown))}")
    values.setdefault("provider_name", "")
    values["provider_name"] = values["provider_name"].strip()
    _validate_service(values, case)
    plan = _plan_for_change(case, None, by=by)
    service = CareService.objects.create(plan=plan, **values)
    record_event(
        case,
        CaseEvent.Kind.CARE_SERVICE_ADDED,
        by=by,
        service=service.code,
        service_kind=service.kind,
        for_dependant=service.beneficiary_id != case.person_id,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="care_service",
        record_code=service.code,
        action="created",
        fields=[name for name, value in values.items() if value not in (None, "")],
        by=by,
    )
    return service


@transaction.atomic
def update_care_service(
    service: CareService, *, by: User, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Change a service (counts delivered, status...); return the names of changed fields."""
    unknown = set(values) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not service fields: {', '.join(sorted(unknown))}")
    current = (
        CareService.objects.select_for_update().select_related("plan__case").get(pk=service.pk)
    )
    _refuse_stale("care_service", current.code, expected_version, current.version)
    case = current.plan.case
    if "provider_name" in values:
        values["provider_name"] = values["provider_name"].strip()
    merged = {name: getattr(current, name) for name in SERVICE_FIELDS} | values
    _validate_service(merged, case)
    changed = []
    for name in SERVICE_FIELDS:
        if merged[name] != getattr(current, name):
            setattr(current, name, merged[name])
            changed.append(name)
    if not changed:
        return []
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    record_event(
        case,
        CaseEvent.Kind.CARE_SERVICE_UPDATED,
        by=by,
        service=current.code,
        fields=sorted(changed),
        status=current.status,
        delivered=current.delivered_count,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="care_service",
        record_code=current.code,
        action="updated",
        fields=changed,
        by=by,
    )
    service.refresh_from_db()
    return changed


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def follow_up_months(organisation_id: int) -> list[int]:
    """The organisation's follow-up months (1, 3, 6, 12, 18 and 24 unless it chose others)."""
    policy = FollowUpPolicy.objects.filter(organisation_id=organisation_id).first()
    return sorted(set(policy.months)) if policy else list(DEFAULT_FOLLOW_UP_MONTHS)


def _check_months(months: list[int]) -> list[str]:
    """What is wrong with a schedule's months, in the order they were given (empty: nothing)."""
    if not months:
        return [_("Give at least one month.")]
    errors = []
    if any(month < 1 or month > MAX_FOLLOW_UP_MONTH for month in months):
        errors.append(_("Each month must be between 1 and %(max)s.") % {"max": MAX_FOLLOW_UP_MONTH})
    duplicates = sorted({month for month in months if months.count(month) > 1})
    if duplicates:
        errors.append(
            _("Each month may appear once (repeated: %(months)s).")
            % {"months": ", ".join(str(month) for month in duplicates)}
        )
    elif any(later <= earlier for earlier, later in itertools.pairwise(months)):
        errors.append(_("Give the months in increasing order, for example 1, 3, 6, 12."))
    if len(months) > MAX_FOLLOW_UP_VISITS:
        errors.append(
            _("At most %(max)s visits (you gave %(count)s).")
            % {"max": MAX_FOLLOW_UP_VISITS, "count": len(months)}
        )
    return errors


@transaction.atomic
def set_follow_up_policy(
    organisation: Organisation, *, months: list[int], overdue_after_days: int, by: User
) -> FollowUpPolicy:
    """Choose the organisation's follow-up months and when a late visit counts as overdue.

    The months apply to reintegrations started from now on: schedules already started keep
    their visits. The days late apply at once to every visit not yet recorded.
    """
    errors: dict[str, list[str]] = {}
    if month_errors := _check_months(list(months)):
        errors["months"] = month_errors
    if not 0 <= overdue_after_days <= MAX_OVERDUE_AFTER_DAYS:
        errors["overdue_after_days"] = [
            _("Give a number of days between 0 and %(max)s.") % {"max": MAX_OVERDUE_AFTER_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    policy = FollowUpPolicy.objects.select_for_update().filter(organisation=organisation).first()
    before = (policy.months, policy.overdue_after_days) if policy else (DEFAULT_FOLLOW_UP_MONTHS, 0)
    changed = [
        name
        for name, old, new in (
            ("months", before[0], list(months)),
            ("overdue_after_days", before[1], overdue_after_days),
        )
        if old != new
    ]
    values = {
        "months": list(months),
        "overdue_after_days": overdue_after_days,
        "updated_by": by,
        "updated_at": timezone.now(),
    }
    policy, _created = FollowUpPolicy.objects.update_or_create(
        organisation=organisation, defaults=values
    )
    if changed:
        record_change(
            organisation_id=organisation.pk,
            record_kind="follow_up_policy",
            record_code=organisation.code,
            action="updated",
            fields=changed,
            by=by,
        )
    return policy


def set_follow_up_months(organisation: Organisation, *, months: list[int], by: User) -> None:
    """Choose the organisation's follow-up months, keeping when a visit counts as overdue."""
    current = FollowUpPolicy.objects.filter(organisation=organisation).first()
    set_follow_up_policy(
        organisation,
        months=months,
        overdue_after_days=current.overdue_after_days if current else 0,
        by=by,
    )


@transaction.atomic
def start_reintegration(case: Case, *, started_on: datetime.date, by: User) -> list[FollowUpVisit]:
    """Start the survivor's reintegration and schedule the follow-up visits."""
    if Reintegration.objects.filter(case=case).exists():
        raise ValidationError(_("Reintegration has already started for this case."))
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": [_("This date is in the future.")]})
    if started_on < case.opened_at.date():
        raise ValidationError(
            {"started_on": [_("Reintegration cannot start before the case was opened.")]}
        )
    Reintegration.objects.create(case=case, started_on=started_on, started_by=by)
    visits = FollowUpVisit.objects.bulk_create(
        FollowUpVisit(case=case, month=month, due_on=add_months(started_on, month))
        for month in follow_up_months(case.organisation_id)
    )
    record_event(
        case,
        CaseEvent.Kind.REINTEGRATION_STARTED,
        by=by,
        months=[visit.month for visit in visits],
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="case",
        record_code=case.code,
        action="reintegration_started",
        fields=["reintegration"],
        by=by,
    )
    return visits


@transaction.atomic
def record_follow_up_visit(
    visit: FollowUpVisit,
    *,
    by: User,
    visited_on: datetime.date,
    contact_mode: str,
    wellbeing: str,
    goal_progress: str,
    risk_factors: set[str] | list[str],
    notes: str = "",
    expected_version: int | None = None,
) -> FollowUpVisit:
    """Record (or correct) a follow-up visit with its risk assessment; return the visit."""
    current = FollowUpVisit.objects.select_for_update().select_related("case").get(pk=visit.pk)
    _refuse_stale("follow_up_visit", current.code, expected_version, current.version)
    case = current.case
    errors: dict[str, list[str]] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("This date is in the future.")]
    reintegration = Reintegration.objects.get(case=case)
    if visited_on < reintegration.started_on:
        errors["visited_on"] = [_("The visit cannot be before reintegration started.")]
    if contact_mode not in FollowUpVisit.ContactMode.values:
        errors["contact_mode"] = [_("Choose how you were in contact.")]
    if wellbeing not in FollowUpVisit.Wellbeing.values:
        errors["wellbeing"] = [_("Choose the wellbeing.")]
    if goal_progress not in FollowUpVisit.Progress.values:
        errors["goal_progress"] = [_("Choose the progress on the goals.")]
    unknown = set(risk_factors) - set(RiskFactor.values)
    if unknown:
        errors["risk_factors"] = [_("Choose risk factors from the list.")]
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "visited_on": visited_on,
        "contact_mode": contact_mode,
        "wellbeing": wellbeing,
        "goal_progress": goal_progress,
        "risk_factors": sorted(set(risk_factors)),
        "risk_level": risk_level_of(set(risk_factors)),
        "notes": notes.strip(),
    }
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    first_time = current.visited_on is None
    for name, value in values.items():
        setattr(current, name, value)
    current.visited_by = by
    current.version += 1
    current.save()
    record_event(
        case,
        CaseEvent.Kind.FOLLOW_UP_RECORDED,
        by=by,
        visit=current.code,
        month=current.month,
        risk=current.risk_level,
        corrected=not first_time,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="follow_up_visit",
        record_code=current.code,
        action="recorded" if first_time else "updated",
        fields=changed,
        by=by,
    )
    visit.refresh_from_db()
    return visit


def _is_supervisor_of(user: User, organisation_id: int) -> bool:
    membership = Membership.objects.filter(
        user=user, organisation_id=organisation_id, is_active=True
    ).first()
    return bool(membership and membership.can(Capability.SUPERVISE))


def _need_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason


def request_closure(case: Case, *, reason: str, by: User) -> None:
    """Ask a supervisor to close the case, saying why."""
    reason = _need_reason(reason)
    if case.status not in (Case.Status.OPEN, Case.Status.IN_CARE):
        raise ValidationError(_("Closure can be requested only for an open case."))
    change_case_status(case, to=Case.Status.CLOSURE_REQUESTED, by=by, reason=reason)


def approve_closure(case: Case, *, by: User, reason: str = "") -> None:
    """Close a case whose closure was requested (supervisors only)."""
    if not _is_supervisor_of(by, case.organisation_id):
        raise ValidationError(_("Only a supervisor approves a closure."))
    if case.status != Case.Status.CLOSURE_REQUESTED:
        raise ValidationError(_("Nobody has requested the closure of this case."))
    change_case_status(case, to=Case.Status.CLOSED, by=by, reason=reason.strip())


def return_closure(case: Case, *, reason: str, by: User) -> None:
    """Send a closure request back to the caseworker, saying why (supervisors only)."""
    reason = _need_reason(reason)
    if not _is_supervisor_of(by, case.organisation_id):
        raise ValidationError(_("Only a supervisor returns a closure request."))
    if case.status != Case.Status.CLOSURE_REQUESTED:
        raise ValidationError(_("Nobody has requested the closure of this case."))
    change_case_status(case, to=Case.Status.IN_CARE, by=by, reason=reason)


def reopen_case(case: Case, *, reason: str, by: User) -> None:
    """Reopen a closed case, saying why."""
    reason = _need_reason(reason)
    if case.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    change_case_status(case, to=Case.Status.IN_CARE, by=by, reason=reason)


LEGAL_FIELDS = (
    "ob_number",
    "police_station",
    "reported_on",
    "p3_status",
    "court_case_number",
    "court",
    "stage",
    "survivor_role",
)


@transaction.atomic
def update_legal_process(
    case: Case, *, by: User, expected_version: int | None = None, **values: Any
) -> list[str]:
    """Record the legal process of the case; return the names of the fields that changed."""
    unknown = set(values) - set(LEGAL_FIELDS)
    if unknown:
        raise ValueError(f"Not legal process fields: {', '.join(sorted(unknown))}")
    current, _created = LegalProcess.objects.select_for_update().get_or_create(case=case)
    _refuse_stale("legal_process", case.code, expected_version, current.version)
    reported = values.get("reported_on")
    if reported and reported > timezone.localdate():
        raise ValidationError({"reported_on": [_("This date is in the future.")]})
    changed = []
    for name, value in values.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return []
    current.full_clean(exclude=["case"])
    current.version += 1
    current.save()
    # The timeline names the fields, never the numbers.
    record_event(case, CaseEvent.Kind.UPDATED, by=by, fields=[f"legal.{name}" for name in changed])
    record_change(
        organisation_id=case.organisation_id,
        record_kind="legal_process",
        record_code=case.code,
        action="updated",
        fields=changed,
        by=by,
    )
    return changed


@transaction.atomic
def add_hearing(case: Case, *, held_on: datetime.date, by: User) -> Hearing:
    """Add a hearing date to the case's legal process."""
    legal, _created = LegalProcess.objects.get_or_create(case=case)
    reported = legal.reported_on
    if reported and held_on < reported:
        raise ValidationError(
            {"held_on": [_("A hearing cannot be before the report to the police.")]}
        )
    hearing = Hearing.objects.create(legal_process=legal, held_on=held_on)
    record_event(case, CaseEvent.Kind.UPDATED, by=by, fields=["legal.hearings"])
    record_change(
        organisation_id=case.organisation_id,
        record_kind="legal_hearing",
        record_code=case.code,
        action="created",
        fields=["hearings"],
        by=by,
    )
    return hearing


# Encrypted columns have no length in the database: the actions hold the limits (as the forms).
LOCATION_LIMIT = 120
REFERENCE_LIMIT = 40


def _business_change(case: Case, action: str, fields: list[str], *, by: User) -> None:
    record_event(case, CaseEvent.Kind.UPDATED, by=by, fields=[f"business.{f}" for f in fields])
    record_change(
        organisation_id=case.organisation_id,
        record_kind="business_plan",
        record_code=case.code,
        action=action,
        fields=fields,
        by=by,
    )


@transaction.atomic
def submit_business_plan(
    case: Case, *, business_type: str, location: str, budget: Decimal, by: User
) -> BusinessPlan:
    """Record the survivor's business plan; its grant waits for a supervisor's approval."""
    errors: dict[str, list[str]] = {}
    if not business_type.strip():
        errors["business_type"] = [_("Give the type of business.")]
    if not location.strip():
        errors["location"] = [_("Give the location.")]
    elif len(location.strip()) > LOCATION_LIMIT:
        errors["location"] = [_("Write at most %(limit)d characters.") % {"limit": LOCATION_LIMIT}]
    if budget < 0:
        errors["budget"] = [_("An amount cannot be negative.")]
    if BusinessPlan.objects.filter(case=case).exists():
        errors.setdefault("business_type", []).append(_("This case already has a business plan."))
    if errors:
        raise ValidationError(errors)
    plan = BusinessPlan.objects.create(
        case=case, business_type=business_type.strip(), location=location.strip(), budget=budget
    )
    _business_change(case, "created", ["business_type", "location", "budget"], by=by)
    return plan


@transaction.atomic
def approve_grant(plan: BusinessPlan, *, by: User) -> None:
    """Approve the business grant (supervisors only)."""
    case = plan.case
    if not _is_supervisor_of(by, case.organisation_id):
        raise ValidationError(_("Only a supervisor approves a grant."))
    if plan.status == BusinessPlan.Status.APPROVED:
        return
    plan.status, plan.approved_by, plan.approved_on = (
        BusinessPlan.Status.APPROVED,
        by,
        timezone.localdate(),
    )
    plan.save(update_fields=["status", "approved_by", "approved_on"])
    _business_change(case, "approved", ["status"], by=by)


@transaction.atomic
def record_disbursement(
    plan: BusinessPlan,
    *,
    amount: Decimal,
    paid_on: datetime.date,
    channel: str,
    reference: str,
    by: User,
) -> Disbursement:
    """Record a payment of an approved grant."""
    errors: dict[str, list[str]] = {}
    if plan.status != BusinessPlan.Status.APPROVED:
        raise ValidationError(_("The grant is not approved yet."))
    if amount <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("This date is in the future.")]
    elif plan.approved_on and paid_on < plan.approved_on:
        errors["paid_on"] = [_("A payment cannot be before the grant was approved.")]
    if channel not in Disbursement.Channel.values:
        errors["channel"] = [_("Choose M-Pesa or bank.")]
    if not reference.strip():
        errors["reference"] = [_("Give the transaction reference.")]
    elif len(reference.strip()) > REFERENCE_LIMIT:
        errors["reference"] = [
            _("Write at most %(limit)d characters.") % {"limit": REFERENCE_LIMIT}
        ]
    if errors:
        raise ValidationError(errors)
    payment = Disbursement.objects.create(
        plan=plan, amount=amount, paid_on=paid_on, channel=channel, reference=reference.strip()
    )
    _business_change(plan.case, "disbursed", ["disbursements"], by=by)
    return payment


@transaction.atomic
def record_business_check(
    plan: BusinessPlan, *, month: int, checked_on: datetime.date, state: str, by: User
) -> BusinessCheck:
    """Record how the business is doing at 3, 6 or 12 months (again to correct it)."""
    errors: dict[str, list[str]] = {}
    if month not in (3, 6, 12):
        errors["month"] = [_("Choose 3, 6 or 12 months.")]
    if state not in BusinessCheck.State.values:
        errors["state"] = [_("Choose how the business is doing.")]
    if checked_on > timezone.localdate():
        errors["checked_on"] = [_("This date is in the future.")]
    if errors:
        raise ValidationError(errors)
    check, _created = BusinessCheck.objects.update_or_create(
        plan=plan, month=month, defaults={"checked_on": checked_on, "state": state}
    )
    _business_change(plan.case, "checked", ["checks"], by=by)
    return check
