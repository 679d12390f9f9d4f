"""A site administrator can remove a lost phone's device, but never sees a device's secret."""

import base64

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from okoa.accounts.access import has_two_factor
from okoa.accounts.models import AuthenticatorDevice, RecoveryCodeDevice


@pytest.fixture
def site_admin_client(client, db):
    root = get_user_model().objects.create_superuser(
        "root@okoa.test", "a long passphrase 9", full_name="Root"
    )
    client.force_login(root)
    return client


def test_the_device_page_hides_the_secret(site_admin_client, cast, enrol):
    device = enrol(cast.caseworker).device
    base32 = base64.b32encode(device.bin_key).decode().rstrip("=")

    page = site_admin_client.get(f"/site-admin/accounts/authenticatordevice/{device.pk}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert cast.caseworker.full_name in html
    assert device.key not in html.lower()
    assert base32 not in html.upper().replace(" ", "")
    assert '<input type="text" name="key"' not in html


def test_the_recovery_codes_page_shows_only_how_many_are_left(site_admin_client, cast, enrol):
    enrolled = enrol(cast.caseworker)
    device = RecoveryCodeDevice.objects.get(user=cast.caseworker)

    listing = site_admin_client.get("/site-admin/accounts/recoverycodedevice/").content.decode()
    page = site_admin_client.get(
        f"/site-admin/accounts/recoverycodedevice/{device.pk}/change/"
    ).content.decode()

    assert '<td class="field-codes_left">10</td>' in listing
    for html in (listing, page):
        assert device.key not in html
        assert not any(code in html for code in enrolled.recovery_codes)
        assert not any(code.digest in html for code in device.codes.all())


def test_no_page_adds_or_edits_a_device(site_admin_client, cast, enrol):
    device = enrol(cast.caseworker).device

    assert site_admin_client.get("/site-admin/accounts/authenticatordevice/add/").status_code == 403
    site_admin_client.post(
        f"/site-admin/accounts/authenticatordevice/{device.pk}/change/",
        {"user": cast.caseworker.pk, "name": "Mine now", "confirmed": "on", "key": "00" * 20},
    )

    device.refresh_from_db()
    assert device.name != "Mine now"
    assert device.key != "00" * 20


def test_django_otps_plaintext_devices_have_no_admin_pages(site_admin_client):
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert site_admin_client.get("/site-admin/otp_totp/totpdevice/add/").status_code == 404


def test_a_site_admin_removes_a_lost_phone_and_its_recovery_codes(site_admin_client, cast, enrol):
    device = enrol(cast.caseworker).device
    recovery = RecoveryCodeDevice.objects.get(user=cast.caseworker)

    site_admin_client.post(
        f"/site-admin/accounts/authenticatordevice/{device.pk}/delete/", {"post": "yes"}
    )
    site_admin_client.post(
        f"/site-admin/accounts/recoverycodedevice/{recovery.pk}/delete/", {"post": "yes"}
    )

    assert not AuthenticatorDevice.objects.filter(user=cast.caseworker).exists()
    assert not has_two_factor(cast.caseworker)
