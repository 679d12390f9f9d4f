"""Members create, see and revoke their own API tokens; the secret is shown once."""

import re

from okoa.accounts.actions import issue_api_token
from okoa.accounts.models import ApiToken

SECRET = re.compile(r'<code class="secret">(okoa_[^<]+)</code>')


def test_a_new_token_is_shown_once_and_works(client, cast):
    client.force_login(cast.caseworker)

    response = client.post("/accounts/tokens/", {"name": "Monthly report script"})

    shown = SECRET.search(response.content.decode())
    assert shown is not None
    secret = shown.group(1)
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(secret)
    assert token.membership == cast.membership(cast.caseworker)
    later = client.get("/accounts/tokens/").content.decode()
    assert secret not in later
    assert "Monthly report script" in later
    assert token.prefix in later


def test_a_member_revokes_their_token(client, cast):
    token, _secret = issue_api_token(cast.membership(cast.caseworker), name="Old laptop")
    client.force_login(cast.caseworker)

    response = client.post("/accounts/tokens/revoke/", {"token": token.prefix})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_or_sees_another_members_token(client, cast):
    token, _secret = issue_api_token(cast.membership(cast.supervisor), name="Supervisor's")
    client.force_login(cast.caseworker)

    client.post("/accounts/tokens/revoke/", {"token": token.prefix})

    token.refresh_from_db()
    assert token.revoked_at is None
    assert "Supervisor&#x27;s" not in client.get("/accounts/tokens/").content.decode()


def test_a_token_needs_a_name(client, cast):
    client.force_login(cast.caseworker)

    response = client.post("/accounts/tokens/", {"name": ""})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()
