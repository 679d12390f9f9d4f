"""A signed-in user's account, memberships and second factor are read afresh on every request
(with the user, in one query: accounts/backends.py): a change made by an administrator counts
from the user's next request, never from their next sign-in."""

import pytest

from okoa.accounts.actions import add_member
from okoa.accounts.models import AuthenticatorDevice, Membership, Organisation, RecoveryCodeDevice
from okoa.cases.actions import open_case
from okoa.people.actions import create_person


@pytest.fixture
def signed_in(client, cast):
    client.force_login(cast.caseworker)
    assert client.get("/cases/").status_code == 200
    return client


def test_a_deactivated_user_is_signed_out_on_their_next_request(signed_in, cast):
    type(cast.caseworker).objects.filter(pk=cast.caseworker.pk).update(is_active=False)

    response = signed_in.get("/cases/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deactivated_membership_opens_nothing_on_the_next_request(signed_in, cast):
    Membership.objects.filter(user=cast.caseworker).update(is_active=False)

    assert signed_in.get("/cases/").status_code == 403


def test_a_removed_membership_opens_nothing_on_the_next_request(signed_in, cast):
    cast.membership(cast.caseworker).delete()

    assert signed_in.get("/cases/").status_code == 403


def test_a_deactivated_organisation_opens_nothing_on_the_next_request(signed_in, cast):
    Organisation.objects.filter(pk=cast.ngo.pk).update(is_active=False)

    assert signed_in.get("/cases/").status_code == 403


def test_a_new_role_applies_from_the_next_request(signed_in, cast, make_case):
    make_case(given_name="Achieng", family_name="Odhiambo")
    assert "Achieng Odhiambo" in signed_in.get("/cases/").content.decode()

    Membership.objects.filter(user=cast.caseworker).update(role=Membership.Role.DATA_ANALYST)

    page = signed_in.get("/cases/").content.decode()
    assert "Achieng Odhiambo" not in page
    assert 'data-label="Survivor"' not in page


def test_a_membership_in_a_second_organisation_is_there_on_the_next_request(signed_in, cast):
    add_member(cast.partner, user=cast.caseworker, role=Membership.Role.CASEWORKER)
    person = create_person(cast.partner, by=cast.partner_caseworker, given_name="Kerubo")
    partner_case = open_case(person, by=cast.partner_caseworker)

    response = signed_in.post("/accounts/organisation/", {"organisation": cast.partner.code})

    assert response.status_code == 302
    assert signed_in.get(f"/cases/{partner_case.code}/").status_code == 200


def test_a_removed_authenticator_ends_the_verified_session_on_its_next_request(
    client, cast, enrol, two_factor_required, sign_in_with_password, totp_code
):
    device = enrol(cast.caseworker).device
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(device)})
    assert client.get("/cases/").status_code == 200

    # The site administrator removes the lost phone; the recovery codes stay.
    AuthenticatorDevice.objects.filter(pk=device.pk).delete()

    response = client.get("/cases/")
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_without_any_second_factor_left_the_session_goes_to_enrolment(
    client, cast, enrol, two_factor_required, sign_in_with_password, totp_code
):
    device = enrol(cast.caseworker).device
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(device)})
    assert client.get("/cases/").status_code == 200

    AuthenticatorDevice.objects.filter(user=cast.caseworker).delete()
    RecoveryCodeDevice.objects.filter(user=cast.caseworker).delete()

    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
