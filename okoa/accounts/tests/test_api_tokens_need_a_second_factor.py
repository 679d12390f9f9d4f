"""When two-step verification is required, only a session signed in with a code may create an
API token: a token would otherwise be a way around the second factor."""

from okoa.accounts.models import ApiToken


def test_a_verified_session_creates_a_token(
    client, cast, enrol, two_factor_required, sign_in_with_password, totp_code
):
    enrolled = enrol(cast.caseworker)
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(enrolled.device)})

    response = client.post("/accounts/tokens/", {"name": "Monthly report script"})

    assert response.status_code == 200
    assert ApiToken.objects.count() == 1


def test_a_session_without_a_second_factor_creates_no_token(
    client, cast, enrol, two_factor_required
):
    enrol(cast.caseworker)
    client.force_login(cast.caseworker)

    response = client.post("/accounts/tokens/", {"name": "Monthly report script"})

    assert response.status_code == 302
    assert not ApiToken.objects.exists()


def test_the_view_itself_refuses_an_unverified_session(client, cast, two_factor_required):
    # Whatever the middleware does, the view checks too (defence in depth).
    from okoa.accounts.views import api_tokens

    client.force_login(cast.caseworker)
    request = client.get("/accounts/two-factor/").wsgi_request
    request.method = "POST"
    request.POST = request.POST.copy()
    request.POST["name"] = "Monthly report script"

    response = api_tokens(request)

    assert response.status_code == 403
    assert not ApiToken.objects.exists()
