"""The supervisor's view: what waits for their approval, open cases per caseworker, overdue
follow-ups per caseworker, cases whose re-trafficking risk is high or rising, unassigned cases.
Caseworkers do not see it."""

from decimal import Decimal

import pytest
from django.utils import timezone

from okoa.care.actions import (
    approve_grant,
    record_follow_up_visit,
    request_closure,
    start_reintegration,
    submit_business_plan,
)
from okoa.care.models import FollowUpVisit
from okoa.cases.actions import change_case_status
from okoa.dashboards.tests.conftest import count_of, panel_of
from okoa.retention.actions import request_erasure

LOW: list[str] = []
MEDIUM, HIGH = ["debt", "unemployment"], ["recruiter_contact"]


def record(case, month, factors, *, by):
    visit = FollowUpVisit.objects.get(case=case, month=month)
    record_follow_up_visit(
        visit,
        by=by,
        visited_on=timezone.localdate(),
        contact_mode="home_visit",
        wellbeing="fair",
        goal_progress="some",
        risk_factors=factors,
    )


def test_caseworkers_and_analysts_do_not_see_the_teams_view(client, cast):
    for user in (cast.caseworker, cast.analyst, cast.operator):
        client.force_login(user)
        assert client.get("/dashboard/team/").status_code == 403
    client.force_login(cast.admin)
    assert client.get("/dashboard/team/").status_code == 200


def test_closures_grants_and_erasures_wait_for_approval(client, cast, make_case):
    closing = make_case(given_name="Akinyi", assigned_to=cast.caseworker)
    request_closure(closing, reason="Plan completed", by=cast.caseworker)
    granted = make_case(given_name="Njeri", assigned_to=cast.caseworker)
    submit_business_plan(
        granted,
        business_type="Tailoring",
        location="Kisumu",
        budget=Decimal("45000"),
        by=cast.caseworker,
    )
    approved = make_case(given_name="Wambui", assigned_to=cast.caseworker)
    approve_grant(
        submit_business_plan(
            approved,
            business_type="Kiosk",
            location="Thika",
            budget=Decimal("9000"),
            by=cast.caseworker,
        ),
        by=cast.supervisor,
    )
    erasing = make_case(given_name="Chebet", assigned_to=cast.caseworker)
    erasure = request_erasure(
        erasing.person, reason="The survivor asked for it", by=cast.caseworker
    )
    client.force_login(cast.supervisor)

    html = client.get("/dashboard/team/").content.decode()

    panel = panel_of(html, "approvals")
    assert f'href="/cases/{closing.code}/closure/"' in panel
    assert "Closure requested by Achieng Caseworker" in panel
    assert f'href="/cases/{granted.code}/livelihood/"' in panel and "45,000" in panel
    assert approved.reference not in panel
    assert f'href="/retention/requests/{erasure.code}/"' in panel and "Chebet Mutua" in panel
    assert count_of(html, "approvals") == 3


def test_the_supervisors_own_erasure_request_says_another_must_decide(read_panel, cast, make_case):
    case = make_case(given_name="Chebet")
    request_erasure(case.person, reason="Recorded by mistake", by=cast.supervisor)

    panel = read_panel(cast.supervisor, "approvals", "/dashboard/team/")

    assert "another supervisor or administrator decides" in panel


def test_open_cases_are_counted_per_caseworker_and_status(client, cast, make_case):
    make_case(assigned_to=cast.caseworker)
    in_care = make_case(assigned_to=cast.caseworker)
    change_case_status(in_care, to="in_care", by=cast.caseworker)
    closed = make_case(assigned_to=cast.caseworker)
    change_case_status(closed, to="closed", by=cast.supervisor, reason="Done")
    make_case(assigned_to=cast.supervisor)
    make_case()
    make_case(
        organisation=cast.partner, by=cast.partner_caseworker, assigned_to=cast.partner_caseworker
    )
    client.force_login(cast.supervisor)

    html = client.get("/dashboard/team/").content.decode()

    panel = panel_of(html, "caseload")
    rows = {
        name: panel.split(name, 1)[1].split("</tr>", 1)[0]
        for name in ("Achieng Caseworker", "Baraka Supervisor", "Chausiku Admin", "Nobody")
    }
    assert rows["Achieng Caseworker"].count('">1</td>') == 2  # one open, one in care
    assert "<strong>2</strong>" in rows["Achieng Caseworker"]
    assert "<strong>1</strong>" in rows["Baraka Supervisor"]
    assert "<strong>0</strong>" in rows["Chausiku Admin"]  # works on cases, has none yet
    assert "<strong>1</strong>" in rows["Nobody"]
    assert "Faraji Partner" not in panel and "Dalmas Analyst" not in panel
    assert count_of(html, "caseload") == 4


def test_overdue_follow_ups_are_counted_per_caseworker(read_panel, cast, make_case, move_back):
    for assignee in (cast.caseworker, cast.caseworker, cast.supervisor):
        case = make_case(assigned_to=assignee)
        start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
        move_back(case, 100)  # months 1 and 3 overdue

    panel = read_panel(cast.supervisor, "overdue", "/dashboard/team/")

    assert "<dt>Achieng Caseworker</dt><dd>4</dd>" in panel
    assert "<dt>Baraka Supervisor</dt><dd>2</dd>" in panel
    assert 'href="/follow-ups/overdue/"' in panel


@pytest.mark.parametrize(
    ("risks", "listed"),
    [
        ([LOW, MEDIUM], True),  # rising
        ([HIGH], True),  # high
        ([HIGH, HIGH], True),  # still high
        ([MEDIUM, LOW], False),  # falling
        ([MEDIUM, MEDIUM], False),  # steady
        ([LOW], False),
    ],
)
def test_cases_whose_risk_is_high_or_rising_are_listed(read_panel, cast, make_case, risks, listed):
    case = make_case(assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    for month, factors in zip((1, 3), risks, strict=False):
        record(case, month, factors, by=cast.caseworker)

    panel = read_panel(cast.supervisor, "risk", "/dashboard/team/")

    assert (case.reference in panel) is listed
    if listed:
        assert f'href="/cases/{case.code}/follow-ups/"' in panel


def test_rising_risk_says_what_it_was(read_panel, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    record(case, 1, LOW, by=cast.caseworker)
    record(case, 3, MEDIUM, by=cast.caseworker)

    assert "Risk Medium (was Low)" in read_panel(cast.supervisor, "risk", "/dashboard/team/")


def test_open_cases_without_a_caseworker_are_listed(read_panel, cast, make_case):
    nobodys = make_case(given_name="Auma")
    assigned = make_case(given_name="Kerubo", assigned_to=cast.caseworker)
    closed = make_case(given_name="Nafula")
    change_case_status(closed, to="closed", by=cast.supervisor, reason="Done")

    panel = read_panel(cast.supervisor, "unassigned", "/dashboard/team/")

    assert f'href="/cases/{nobodys.code}/"' in panel and "Auma Mutua" in panel
    assert assigned.reference not in panel and closed.reference not in panel
