"""A member of several organisations chooses the one they work in; they see only its records."""

from okoa.accounts.actions import add_member
from okoa.accounts.models import Membership
from okoa.cases.actions import open_case
from okoa.people.actions import create_person


def test_member_of_two_organisations_sees_only_the_chosen_organisations_cases(client, cast):
    add_member(cast.partner, user=cast.caseworker, role=Membership.Role.CASEWORKER)
    person = create_person(cast.partner, by=cast.partner_caseworker, given_name="Kerubo")
    partner_case = open_case(person, by=cast.partner_caseworker)
    client.force_login(cast.caseworker)

    response = client.post("/accounts/organisation/", {"organisation": cast.ngo.code})
    assert response.status_code == 302
    assert client.get(f"/cases/{partner_case.code}/").status_code == 404

    client.post("/accounts/organisation/", {"organisation": cast.partner.code})
    assert client.get(f"/cases/{partner_case.code}/").status_code == 200


def test_an_organisation_one_is_not_a_member_of_cannot_be_chosen(client, cast):
    client.force_login(cast.caseworker)

    response = client.post("/accounts/organisation/", {"organisation": cast.partner.code})

    assert response.status_code == 400
    assert "okoa_membership" not in client.session


def test_member_of_one_organisation_is_told_so(client, cast):
    client.force_login(cast.caseworker)

    html = client.get("/accounts/organisation/").content.decode()

    assert "You work in Tumaini Haven Trust as Caseworker." in html
