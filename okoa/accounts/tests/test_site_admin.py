"""Site administrators manage organisations, accounts and memberships; never case files."""

import pytest
from django.contrib import admin

from okoa.accounts.models import Membership, Organisation, User
from okoa.cases.models import Case, CaseNote
from okoa.people.models import Person


@pytest.fixture
def site_admin_client(client, db):
    site_admin = User.objects.create_superuser(
        "root@okoa.test", "correct horse battery staple 42", full_name="Site Administrator"
    )
    client.force_login(site_admin)
    return client


@pytest.mark.parametrize("model", ["organisation", "user", "membership"])
def test_site_admin_lists_and_adds_accounts(site_admin_client, cast, model):
    assert site_admin_client.get(f"/site-admin/accounts/{model}/").status_code == 200
    assert site_admin_client.get(f"/site-admin/accounts/{model}/add/").status_code == 200


def test_site_admin_creates_an_account_with_a_lower_case_email(site_admin_client, db):
    response = site_admin_client.post(
        "/site-admin/accounts/user/add/",
        {
            "email": "Wanjiru@Example.test",
            "full_name": "Wanjiru Test",
            "preferred_language": "sw",
            "usable_password": "true",
            "password1": "another long passphrase 7",
            "password2": "another long passphrase 7",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(email="wanjiru@example.test").preferred_language == "sw"


def test_site_admin_opens_a_user_with_their_memberships(site_admin_client, cast):
    response = site_admin_client.get(f"/site-admin/accounts/user/{cast.caseworker.pk}/change/")

    assert response.status_code == 200
    assert "Tumaini Haven Trust" in response.content.decode()


def test_no_model_with_personal_data_is_in_the_admin():
    registered = admin.site._registry
    assert {Organisation, User, Membership} <= set(registered)
    assert not {Person, Case, CaseNote} & set(registered)
