"""A dashboard names survivors only for members who see identities, and leaves one access
record for each case (and each person named) it shows, as the case list does."""

import datetime

import pytest
from django.utils import timezone

from okoa.accounts.models import ROLE_CAPABILITIES, Capability, Membership
from okoa.audit.models import AccessRecord
from okoa.care.actions import add_care_goal, start_reintegration
from okoa.dashboards.panels import DAY_PANELS, TEAM_PANELS, Board
from okoa.retention.actions import request_erasure


@pytest.fixture
def busy_case(cast, make_case, move_back):
    case = make_case(given_name="Akinyi", family_name="Wekesa", assigned_to=cast.caseworker)
    start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)
    move_back(case, 40)
    add_care_goal(
        case,
        by=cast.caseworker,
        area="family",
        description="Meet her sister in Kakamega",
        target_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    return case


def test_every_case_shown_leaves_one_access_record(client, cast, busy_case):
    client.force_login(cast.caseworker)

    html = client.get("/dashboard/").content.decode()

    assert "Akinyi Wekesa" in html and "Meet her sister" in html
    reads = AccessRecord.objects.filter(user=cast.caseworker, record_kind="case")
    # Shown in two panels (a follow-up and a goal), logged once.
    assert list(reads.values_list("record_code", flat=True)) == [busy_case.code]


def test_a_person_named_in_an_erasure_request_is_a_recorded_read(client, cast, make_case):
    case = make_case(given_name="Chebet")
    erasure = request_erasure(case.person, reason="Asked for it", by=cast.caseworker)
    client.force_login(cast.supervisor)

    client.get("/dashboard/team/")

    reads = set(
        AccessRecord.objects.filter(user=cast.supervisor).values_list("record_kind", "record_code")
    )
    assert ("erasure_request", erasure.code) in reads
    assert ("person", case.person.code) in reads


def test_without_the_identity_capability_lines_carry_references_only(
    client, cast, busy_case, monkeypatch
):
    role = Membership.Role.CASEWORKER
    monkeypatch.setitem(
        ROLE_CAPABILITIES, role, ROLE_CAPABILITIES[role] - {Capability.VIEW_IDENTITIES}
    )
    client.force_login(cast.caseworker)

    html = client.get("/dashboard/").content.decode()

    assert busy_case.reference in html
    assert "Akinyi" not in html and "Wekesa" not in html and "Meet her sister" not in html


def test_members_who_do_not_work_on_cases_get_no_panel_content(cast, busy_case):
    for user in (cast.analyst, cast.operator):
        board = Board.for_member(cast.membership(user))

        panels = board.build([*DAY_PANELS, *TEAM_PANELS])

        assert [panel.total for panel in panels] == [0] * len(panels)
        assert board.reads == {}


def test_analysts_and_operators_are_refused_the_day(client, cast):
    for user in (cast.analyst, cast.operator):
        client.force_login(user)
        assert client.get("/dashboard/").status_code == 403
