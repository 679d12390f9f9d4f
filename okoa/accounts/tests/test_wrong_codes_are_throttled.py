"""After a wrong code the device refuses to check any code for a while (1, 2, 4... seconds):
even the right code is turned away, unchecked and unused, until the wait is over."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from okoa.accounts.access import recovery_codes_left
from okoa.accounts.actions import CodeCheck, verify_sign_in_code
from okoa.accounts.models import AuthenticatorDevice, RecoveryCodeDevice


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


@pytest.fixture
def at():
    """``with at(seconds):`` the throttle's clock reads a fixed start plus ``seconds``."""
    start = timezone.now()

    def moment(seconds):
        return mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(seconds=seconds)
        )

    return moment


def wrong_code(right):
    return f"{(int(right) + 500_000) % 1_000_000:06d}"


def check(cast, code):
    return verify_sign_in_code(cast.caseworker, code=code).check


def test_the_right_app_code_right_after_a_wrong_one_is_throttled(cast, enrolled, totp_code, at):
    right = totp_code(enrolled.device)

    with at(0):
        assert check(cast, wrong_code(right)) is CodeCheck.REFUSED
    with at(0.5):
        assert check(cast, right) is CodeCheck.THROTTLED
    device = AuthenticatorDevice.objects.get(pk=enrolled.device.pk)
    assert device.throttling_failure_count == 1
    assert device.last_t == enrolled.device.last_t  # the right code was not even checked

    with at(1):
        assert check(cast, right) is CodeCheck.ACCEPTED
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_wait_doubles_with_each_wrong_code(cast, enrolled, totp_code, at):
    right = totp_code(enrolled.device)
    with at(0):
        check(cast, wrong_code(right))
    with at(1):
        assert check(cast, wrong_code(right)) is CodeCheck.REFUSED
    # Two failures in a row: two seconds from the last one.
    with at(2.9):
        assert check(cast, right) is CodeCheck.THROTTLED
    with at(3):
        assert check(cast, right) is CodeCheck.ACCEPTED


def test_recovery_codes_are_throttled_and_the_right_one_is_not_used_up(cast, enrolled, at):
    code = enrolled.recovery_codes[0]

    with at(0):
        assert check(cast, "zzzzzzzz") is CodeCheck.REFUSED
    with at(0.5):
        assert check(cast, code) is CodeCheck.THROTTLED
    assert recovery_codes_left(cast.caseworker) == 10
    assert RecoveryCodeDevice.objects.get(user=cast.caseworker).throttling_failure_count == 1

    with at(1):
        assert check(cast, code) is CodeCheck.ACCEPTED
    assert recovery_codes_left(cast.caseworker) == 9


def test_the_code_page_says_to_wait(
    client, cast, enrolled, sign_in_with_password, totp_code, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute's wait: real requests take no such time
    right = totp_code(enrolled.device)
    sign_in_with_password(client, cast.caseworker.email)
    client.post("/accounts/login/code/", {"code": wrong_code(right)})

    response = client.post("/accounts/login/code/", {"code": right})

    assert "Too many wrong codes in a row" in response.content.decode()
    assert "_auth_user_id" not in client.session
