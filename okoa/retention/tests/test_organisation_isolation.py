"""Another organisation's people, requests and retention period are the same 404 as missing
ones, and its supervisors can decide nothing of ours."""

import pytest
from django.core.exceptions import ValidationError

from okoa.accounts.actions import create_user
from okoa.retention.actions import approve_erasure, request_erasure, set_retention_policy
from okoa.retention.models import ErasureRequest, RetentionPolicy
from okoa.retention.tests.conftest import PASSWORD_FOR_TESTS


@pytest.fixture
def partner_supervisor(cast):
    return create_user(
        email="supervisor@mwangaza.test",
        full_name="Gathoni Partner",
        password=PASSWORD_FOR_TESTS,
        organisation=cast.partner,
        role="supervisor",
    )


@pytest.fixture
def pending(cast, survivor_file) -> ErasureRequest:
    return request_erasure(survivor_file.person, reason="She asked.", by=cast.caseworker)


def test_a_partner_supervisor_gets_a_404_for_our_request(client, partner_supervisor, pending):
    client.force_login(partner_supervisor)

    assert client.get(f"/retention/requests/{pending.code}/").status_code == 404
    assert client.get("/retention/requests/missing-code/").status_code == 404
    assert (
        client.post(f"/retention/requests/{pending.code}/approve/", {"confirm": "on"}).status_code
        == 404
    )
    pending.refresh_from_db()
    assert pending.status == ErasureRequest.Status.PENDING


def test_a_partner_supervisors_list_does_not_show_our_requests(client, partner_supervisor, pending):
    client.force_login(partner_supervisor)

    response = client.get("/retention/requests/")

    assert response.status_code == 200
    assert response.context["pending"] == [] and response.context["decided"] == []


def test_a_partner_caseworker_cannot_ask_to_erase_our_person(client, cast, survivor_file):
    client.force_login(cast.partner_caseworker)
    url = f"/retention/people/{survivor_file.person.code}/request/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Please."}).status_code == 404
    with pytest.raises(ValidationError):
        request_erasure(survivor_file.person, reason="Please.", by=cast.partner_caseworker)


def test_a_partner_supervisor_cannot_approve_through_the_action(
    survivor_file, partner_supervisor, pending
):
    with pytest.raises(ValidationError):
        approve_erasure(pending, by=partner_supervisor)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is None


def test_each_administrator_sets_their_own_organisations_period(client, cast):
    partner_admin = create_user(
        email="admin@mwangaza.test",
        full_name="Halima Partner",
        password=PASSWORD_FOR_TESTS,
        organisation=cast.partner,
        role="organisation_admin",
    )
    set_retention_policy(cast.ngo, closed_case_retention_days=400, by=cast.admin)
    client.force_login(partner_admin)

    assert client.get("/retention/policy/").context["form"].initial == {
        "closed_case_retention_days": None,
        "caseless_report_retention_days": 730,  # the default, offered until saved
    }
    client.post("/retention/policy/", {"closed_case_retention_days": "90"})

    assert RetentionPolicy.objects.get(organisation=cast.ngo).closed_case_retention_days == 400
    assert RetentionPolicy.objects.get(organisation=cast.partner).closed_case_retention_days == 90
