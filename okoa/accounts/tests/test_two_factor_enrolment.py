"""A user who must use two-step verification enrols on first sign-in: a QR code and a typed key,
a code to confirm, then ten recovery codes shown once."""

import re

from okoa.accounts.access import has_two_factor
from okoa.accounts.models import AuthenticatorDevice

QR_IMAGE = re.compile(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" width="220"')
SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
RECOVERY_CODE = re.compile(r"<li><code>([a-z2-7]{8})</code></li>")


def shown_secret(page: str) -> str:
    match = SECRET.search(page)
    assert match is not None
    return match.group(1)


def test_first_sign_in_leads_through_enrolment(
    client, cast, two_factor_required, sign_in_with_password, totp_code
):
    response = sign_in_with_password(client, cast.caseworker.email)
    assert response["Location"] == "/accounts/two-factor/"

    page = client.get("/accounts/two-factor/").content.decode()
    assert QR_IMAGE.search(page)
    assert " style=" not in page and "<script>" not in page
    device = AuthenticatorDevice.objects.get(user=cast.caseworker, confirmed=False)
    typed_key = shown_secret(page).replace(" ", "")
    assert device.config_url.split("secret=")[1].startswith(typed_key)

    wrong = client.post("/accounts/two-factor/", {"code": "12345"})
    assert wrong.status_code == 400
    assert not has_two_factor(cast.caseworker)

    confirmed = client.post("/accounts/two-factor/", {"code": totp_code(device)})

    assert confirmed.status_code == 200
    codes = RECOVERY_CODE.findall(confirmed.content.decode())
    assert len(set(codes)) == 10
    assert "Okoa shows them only now" in confirmed.content.decode()
    assert has_two_factor(cast.caseworker)
    assert client.get("/cases/").status_code == 200
    later = client.get("/accounts/two-factor/recovery-codes/").content.decode()
    assert not RECOVERY_CODE.search(later)


def test_the_qr_code_stays_the_same_until_confirmed(client, cast, two_factor_required):
    client.force_login(cast.caseworker)

    first = client.get("/accounts/two-factor/").content.decode()
    second = client.get("/accounts/two-factor/").content.decode()

    assert shown_secret(first) == shown_secret(second)
    assert AuthenticatorDevice.objects.filter(user=cast.caseworker).count() == 1


def test_after_enrolment_signing_in_asks_for_a_code(
    client, cast, enrol, two_factor_required, sign_in_with_password
):
    enrol(cast.caseworker)

    response = sign_in_with_password(client, cast.caseworker.email)

    assert response["Location"] == "/accounts/login/code/"


def test_moving_to_a_new_phone_replaces_the_old_app_and_codes(
    client, cast, enrol, sign_in_with_password, totp_code
):
    old = enrol(cast.caseworker)
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": totp_code(old.device)})
    client.get("/accounts/two-factor/")
    new_device = AuthenticatorDevice.objects.get(user=cast.caseworker, confirmed=False)

    response = client.post("/accounts/two-factor/", {"code": totp_code(new_device)})

    assert response.status_code == 200
    assert list(AuthenticatorDevice.objects.filter(user=cast.caseworker)) == [new_device]
    assert not set(RECOVERY_CODE.findall(response.content.decode())) & set(old.recovery_codes)
