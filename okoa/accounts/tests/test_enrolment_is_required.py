"""When two-step verification is required, every role that sees personal data and every site
administrator must enrol before reaching anything else; data analysts may but need not."""

import pytest

from okoa.accounts.access import two_factor_required_for
from okoa.accounts.models import User


def test_a_caseworker_without_an_app_reaches_only_the_enrolment_page(
    client, cast, two_factor_required
):
    client.force_login(cast.caseworker)

    response = client.get("/cases/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/tokens/")["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/two-factor/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "sw"}).status_code == 302
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "admin", "operator"])
def test_roles_that_see_personal_data_must_use_two_factor(cast, two_factor_required, role):
    assert two_factor_required_for(getattr(cast, role))


def test_a_data_analyst_is_not_forced(client, cast, two_factor_required):
    client.force_login(cast.analyst)

    assert not two_factor_required_for(cast.analyst)
    assert client.get("/cases/").status_code == 200


def test_site_administrators_must_use_two_factor(client, db, two_factor_required):
    root = User.objects.create_superuser("root@okoa.test", "a long passphrase 9", full_name="Root")
    client.force_login(root)

    assert two_factor_required_for(root)
    assert client.get("/site-admin/")["Location"] == "/accounts/two-factor/"


def test_nobody_is_forced_when_two_factor_is_not_required(client, cast, settings):
    settings.OKOA_REQUIRE_TWO_FACTOR = False
    client.force_login(cast.caseworker)

    assert not two_factor_required_for(cast.caseworker)
    assert client.get("/cases/").status_code == 200


def test_a_session_that_skipped_the_code_of_an_enrolled_user_is_ended(
    client, cast, enrol, two_factor_required
):
    enrol(cast.caseworker)
    client.force_login(cast.caseworker)  # as if signed in before the rule applied

    response = client.get("/cases/")

    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
