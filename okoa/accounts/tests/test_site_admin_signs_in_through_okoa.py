"""The admin's own password-only sign-in form is replaced by Okoa's (throttled, two steps)."""

from django.contrib.auth import get_user_model


def test_the_admin_sign_in_page_sends_to_okoas(client, db):
    response = client.get("/site-admin/login/?next=/site-admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/site-admin/"


def test_posting_a_password_to_the_admin_signs_nobody_in(client, db):
    get_user_model().objects.create_superuser(
        "root@okoa.test", "a long passphrase 9", full_name="Root"
    )

    client.post(
        "/site-admin/login/", {"username": "root@okoa.test", "password": "a long passphrase 9"}
    )

    assert "_auth_user_id" not in client.session
