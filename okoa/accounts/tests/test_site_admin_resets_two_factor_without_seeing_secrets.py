"""A site administrator can remove a lost phone's device, but never sees a device's secret."""

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def site_admin_client(client, db):
    root = get_user_model().objects.create_superuser(
        "root@okoa.test", "a long passphrase 9", full_name="Root"
    )
    client.force_login(root)
    return client


def test_the_device_page_hides_the_secret(site_admin_client, cast, enrol):
    device = enrol(cast.caseworker).device

    page = site_admin_client.get(f"/site-admin/otp_totp/totpdevice/{device.pk}/change/")

    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert site_admin_client.get(
        f"/site-admin/otp_totp/totpdevice/{device.pk}/config/"
    ).status_code in {403, 404}


def test_a_site_admin_removes_a_lost_device(site_admin_client, cast, enrol):
    device = enrol(cast.caseworker).device

    site_admin_client.post(f"/site-admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert not TOTPDevice.objects.filter(user=cast.caseworker).exists()
