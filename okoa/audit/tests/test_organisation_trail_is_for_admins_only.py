import pytest
from django.urls import reverse

from okoa.cases.actions import open_case
from okoa.people.actions import create_person


@pytest.fixture
def case(cast, client):
    person = create_person(
        cast.ngo, by=cast.caseworker, given_name="Kagwiria", family_name="Mutwiri"
    )
    case = open_case(person, by=cast.caseworker)
    client.force_login(cast.caseworker)
    client.get(reverse("cases:detail", args=[case.code]))
    return case


@pytest.mark.parametrize("route", ["audit:reads", "audit:changes"])
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "analyst", "operator"])
def test_members_who_are_not_administrators_get_404(client, cast, case, route, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(route)).status_code == 404


def test_the_admin_sees_reads_filtered_by_member_and_record(client, cast, case):
    client.force_login(cast.admin)
    response = client.get(
        reverse("audit:reads"), {"user": cast.caseworker.code, "kind": "case", "record": case.code}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert case.code in page and cast.caseworker.full_name in page
    other = client.get(reverse("audit:reads"), {"user": cast.supervisor.code}).content.decode()
    assert case.code not in other


def test_the_trail_shows_field_names_never_values(client, cast, case):
    client.force_login(cast.admin)
    page = client.get(reverse("audit:changes")).content.decode()
    assert "given name" in page
    assert "Kagwiria" not in page and "Mutwiri" not in page


def test_another_organisation_admin_sees_nothing_of_ours(client, cast, case):
    from okoa.accounts.actions import add_member

    add_member(cast.partner, user=cast.partner_caseworker, role="organisation_admin")
    client.force_login(cast.partner_caseworker)
    page = client.get(reverse("audit:reads")).content.decode()
    assert case.code not in page


def test_the_next_page_cursor_is_signed_not_a_plain_id(client, cast, case):
    from okoa.audit.models import AccessRecord

    membership = cast.membership(cast.caseworker)
    AccessRecord.objects.bulk_create(
        AccessRecord(
            user=cast.caseworker,
            organisation=cast.ngo,
            record_kind="case",
            record_code=case.code,
            channel="page",
        )
        for _ in range(60)
    )
    assert membership
    client.force_login(cast.admin)
    page = client.get(reverse("audit:reads")).content.decode()
    assert 'rel="next"' in page
    assert "before=" in page and "before=1" not in page
    tampered = client.get(reverse("audit:reads"), {"before": "123"})
    assert tampered.status_code == 200
