"""Demo data of the dashboards: care work on some of the main demo NGO's cases.

Made through the real care actions, after the cases exist, so that the caseworker's day and the
supervisor's view have something to show: services with sessions left to record, goals near
their target date, hearings in the coming days, a closure request sent back, a business grant
waiting for approval and follow-ups that found a high or rising re-trafficking risk. The demo
never moves time: every date is today or later, so no follow-up is overdue yet and no case has
been quiet for a month. The second NGO follows its own follow-up schedule.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from okoa.accounts.models import Organisation, User
from okoa.care.actions import (
    add_care_goal,
    add_care_service,
    add_hearing,
    record_follow_up_visit,
    request_closure,
    return_closure,
    set_follow_up_policy,
    start_reintegration,
    submit_business_plan,
    update_care_service,
    update_legal_process,
)
from okoa.cases.models import Case
from okoa.demo import data


def load_dashboards_demo() -> None:
    """Add care work to the main NGO's cases and a follow-up schedule to the second NGO."""
    main = Organisation.objects.get(reference_prefix=data.MAIN_NGO.reference_prefix)
    second = Organisation.objects.get(reference_prefix=data.SECOND_NGO.reference_prefix)
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    caseworker, colleague = users[data.CST_CASEWORKER], users[data.CST_CASEWORKER_2]
    supervisor = users[data.CST_SUPERVISOR]
    cases = _cases_by_survivor(main)
    today = timezone.localdate()

    def days(number: int) -> datetime.date:
        return today + datetime.timedelta(days=number)

    # Brian: counselling under way, a training goal due this week, a hearing next week.
    brian = cases["Brian Langat"]
    _sessions(brian, "counselling", planned=10, delivered=4, by=caseworker)
    add_care_goal(
        brian,
        by=caseworker,
        area="livelihood",
        description="Enrol in the motorcycle mechanics course in Eldoret.",
        target_on=days(5),
    )
    update_legal_process(
        brian, by=caseworker, police_station="Eldoret Central (demo)", stage="charged"
    )
    add_hearing(brian, held_on=days(9), by=caseworker)

    # Ruth: school support for her training, a family goal due in three days.
    ruth = cases["Ruth Nzioka"]
    _sessions(ruth, "training", planned=5, delivered=3, by=caseworker)
    add_care_goal(
        ruth,
        by=caseworker,
        area="family",
        description="Meet her mother with the family mediator before moving home.",
        target_on=days(3),
    )

    # Joseph: the first follow-up (made early, at home) found recruiters back in touch.
    joseph = cases["Joseph Onchari"]
    visit = start_reintegration(joseph, started_on=today, by=caseworker)[0]
    record_follow_up_visit(
        visit,
        by=caseworker,
        visited_on=today,
        contact_mode="home_visit",
        wellbeing="fair",
        goal_progress="some",
        risk_factors=["recruiter_contact", "debt"],
        notes="A new 'agent' has called him twice about work abroad.",
    )

    # George: two follow-ups so far, the risk went from low to medium.
    george = cases["George Ombati"]
    first, second_visit = start_reintegration(george, started_on=today, by=caseworker)[:2]
    for step, factors in ((first, []), (second_visit, ["unemployment", "housing"])):
        record_follow_up_visit(
            step,
            by=caseworker,
            visited_on=today,
            contact_mode="phone",
            wellbeing="fair",
            goal_progress="some",
            risk_factors=factors,
        )

    # Felix: his caseworker asked to close the case; the supervisor sent it back.
    felix = cases["Felix Rotich"]
    request_closure(felix, reason="The reintegration plan is complete.", by=caseworker)
    return_closure(
        felix,
        reason="Keep the case open until the first follow-up visit has been made.",
        by=supervisor,
    )

    # Faith: a tailoring business waiting for the supervisor to approve its grant.
    submit_business_plan(
        cases["Faith Gitau"],
        business_type="Tailoring",
        location="Kakamega town",
        budget=Decimal("45000"),
        by=caseworker,
    )

    # The second caseworker: sessions to record and a goal due, for the team's view.
    dennis = cases["Dennis Ochieng"]
    _sessions(dennis, "counselling", planned=8, delivered=2, by=colleague)
    add_care_goal(
        dennis,
        by=colleague,
        area="identity_documents",
        description="Replace the national identity card lost abroad.",
        target_on=days(6),
    )

    set_follow_up_policy(
        second,
        months=[1, 3, 6, 12],
        overdue_after_days=7,
        by=users[data.MCR_SUPERVISOR],
    )


def _cases_by_survivor(organisation: Organisation) -> dict[str, Case]:
    """The organisation's cases by the survivor's given and family name (decrypted here: the
    demo has a few dozen cases and names cannot be searched in the database)."""
    cases = Case.objects.filter(organisation=organisation).select_related("person")
    return {f"{case.person.given_name} {case.person.family_name}": case for case in cases}


def _sessions(case: Case, kind: str, *, planned: int, delivered: int, by: User) -> None:
    service = add_care_service(
        case, by=by, beneficiary=case.person, kind=kind, planned_count=planned
    )
    update_care_service(service, by=by, status="in_progress", delivered_count=delivered)
