"""Notification fixtures: a site address, the null SMS gateway, sending in the test's thread."""

from __future__ import annotations

import pytest

from okoa.notifications.actions import set_notification_contacts

SITE = "https://okoa.example.org"


@pytest.fixture(autouse=True)
def _notification_settings(settings):
    settings.OKOA_SITE_URL = SITE
    settings.OKOA_SMS_GATEWAY = "null"
    settings.OKOA_NOTIFICATIONS_SEND_IN_BACKGROUND = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def desk(cast):
    """The partner organisation's referral desk: an office address and a Kenyan mobile."""
    return set_notification_contacts(
        cast.partner, email="referrals@mwangaza.test", phone="0722 000 111", by=cast.admin
    )
