"""Care pages carry no inline script, style or event handler (strict CSP) and answer 200."""

import re

import pytest
from django.utils import timezone

from okoa.care.actions import add_care_goal, add_care_service, start_reintegration

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)

PAGES = [
    "/cases/{case}/care/",
    "/cases/{case}/care/assessments/",
    "/cases/{case}/care/assessments/new/",
    "/cases/{case}/care/goals/new/",
    "/cases/{case}/care/goals/{goal}/",
    "/cases/{case}/care/services/new/",
    "/cases/{case}/care/services/{service}/",
    "/cases/{case}/follow-ups/",
    "/cases/{case}/follow-ups/{visit}/",
    "/cases/{case}/closure/",
    "/cases/{case}/legal/",
    "/cases/{case}/livelihood/",
    "/follow-ups/overdue/",
    "/cases/{case}/",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_inline_code(client, cast, make_case, page):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=3
    )
    visit = start_reintegration(case, started_on=timezone.localdate(), by=cast.caseworker)[0]
    goal = add_care_goal(
        case,
        by=cast.caseworker,
        area="safety",
        description="Safe room",
        target_on=timezone.localdate(),
    )
    client.force_login(cast.caseworker)

    response = client.get(
        page.format(case=case.code, service=service.code, visit=visit.code, goal=goal.code)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
