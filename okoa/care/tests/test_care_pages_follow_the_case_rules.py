"""Care pages follow the case's rules: another organisation gets a 404, analysts see counts and
categories but no names or free text, every read is recorded."""

import datetime

import pytest
from django.utils import timezone

from okoa.audit.models import AccessRecord
from okoa.care.actions import add_care_goal, add_care_service, record_needs_assessment


@pytest.fixture
def planned_case(cast, make_case, add_dependant):
    case = make_case(given_name="Wanjiru", family_name="Otieno")
    child = add_dependant(case, given_name="Kipchumba")
    record_needs_assessment(
        case,
        by=cast.caseworker,
        assessed_on=timezone.localdate(),
        levels={"shelter": "urgent"},
        notes="Sleeps at a neighbour's house.",
    )
    add_care_goal(
        case,
        by=cast.caseworker,
        area="shelter",
        description="Move out of the neighbour's house",
        target_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    add_care_service(
        case, by=cast.caseworker, beneficiary=child, kind="counselling", planned_count=12
    )
    return case


def test_the_caseworker_sees_the_whole_plan_and_the_read_is_recorded(client, cast, planned_case):
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{planned_case.code}/care/").content.decode()

    assert "Move out of the neighbour" in html
    assert "Kipchumba" in html
    assert "0 of 12" in html
    assert "Urgent need" in html
    assert AccessRecord.objects.filter(
        user=cast.caseworker, record_kind="case", record_code=planned_case.code
    ).exists()


def test_the_analyst_sees_counts_and_categories_only(client, cast, planned_case):
    client.force_login(cast.analyst)

    plan = client.get(f"/cases/{planned_case.code}/care/").content.decode()
    history = client.get(f"/cases/{planned_case.code}/care/assessments/").content.decode()

    assert "0 of 12" in plan and "Urgent need" in plan
    for text in ("Move out of the neighbour", "Kipchumba", "Wanjiru", "neighbour&#x27;s house"):
        assert text not in plan
    assert "Sleeps at" not in history
    assert "/care/services/new/" not in plan


@pytest.mark.parametrize(
    "path",
    ["care/", "care/assessments/", "care/assessments/new/", "care/goals/new/"],
)
def test_another_organisation_gets_a_404(client, cast, planned_case, path):
    client.force_login(cast.partner_caseworker)

    assert client.get(f"/cases/{planned_case.code}/{path}").status_code == 404


def test_the_case_page_links_to_the_care_plan(client, cast, planned_case):
    client.force_login(cast.caseworker)

    html = client.get(f"/cases/{planned_case.code}/").content.decode()

    assert f'href="/cases/{planned_case.code}/care/"' in html
