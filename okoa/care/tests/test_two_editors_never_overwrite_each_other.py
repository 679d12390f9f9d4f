"""Two people editing the same service or plan: the second save is refused and says what the
first one changed."""

import datetime

import pytest
from django.utils import timezone

from okoa.care.actions import StaleEdit, add_care_goal, add_care_service, update_care_service


def test_the_second_save_of_a_service_is_refused_naming_the_changed_fields(cast, make_case):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )
    opened_version = service.version
    update_care_service(
        service, by=cast.supervisor, expected_version=opened_version, delivered_count=5
    )

    with pytest.raises(StaleEdit) as raised:
        update_care_service(
            service, by=cast.caseworker, expected_version=opened_version, status="completed"
        )

    assert "delivered_count" in raised.value.messages[0]
    service.refresh_from_db()
    assert (service.status, service.delivered_count) == ("planned", 5)


def test_a_goal_added_on_an_outdated_plan_is_refused(cast, make_case):
    case = make_case()
    target = timezone.localdate() + datetime.timedelta(days=30)
    first = add_care_goal(
        case, by=cast.caseworker, area="shelter", description="Safe room", target_on=target
    )
    opened_version = first.plan.version
    add_care_goal(
        case,
        by=cast.supervisor,
        area="legal",
        description="Statement",
        target_on=target,
        expected_version=opened_version,
    )

    with pytest.raises(StaleEdit) as raised:
        add_care_goal(
            case,
            by=cast.caseworker,
            area="education",
            description="School",
            target_on=target,
            expected_version=opened_version,
        )

    assert "goals" in raised.value.messages[0]


def test_the_service_page_shows_the_refusal(client, cast, make_case):
    case = make_case()
    service = add_care_service(
        case, by=cast.caseworker, beneficiary=case.person, kind="counselling", planned_count=12
    )
    update_care_service(service, by=cast.supervisor, delivered_count=5)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/care/services/{service.code}/",
        {
            "beneficiary": case.person.pk,
            "kind": "counselling",
            "status": "planned",
            "planned_count": "12",
            "delivered_count": "6",
            "version": "1",
        },
    )

    assert response.status_code == 400
    assert "Somebody else saved this" in response.content.decode()
    service.refresh_from_db()
    assert service.delivered_count == 5
