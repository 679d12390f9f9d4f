"""Fixtures for sign-in tests: two-step verification switched on, enrolled users, TOTP codes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from okoa.accounts.actions import confirm_two_factor_device, start_two_factor_enrolment
from okoa.accounts.models import User


@dataclass
class Enrolled:
    device: TOTPDevice
    recovery_codes: list[str]


def code_at(device: TOTPDevice, moment: float | None = None) -> str:
    """Return the code an authenticator app shows for ``device`` at ``moment`` (default: now)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() if moment is None else moment
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def two_factor_required(settings):
    settings.OKOA_REQUIRE_TWO_FACTOR = True


@pytest.fixture
def totp_code() -> Callable[..., str]:
    """``totp_code(device, moment=None)``: the code the user's app shows."""
    return code_at


@pytest.fixture
def enrol() -> Callable[[User], Enrolled]:
    """Enrol a user through the real actions, as if a minute ago (so "now" has fresh codes)."""

    def enrol(user: User) -> Enrolled:
        device = start_two_factor_enrolment(user)
        earlier = time.time() - 2 * device.step
        with mock.patch("time.time", return_value=earlier):
            codes = confirm_two_factor_device(device, code=code_at(device, earlier), by=user)
        assert codes is not None
        device.refresh_from_db()
        return Enrolled(device=device, recovery_codes=codes)

    return enrol


@pytest.fixture
def sign_in_with_password() -> Callable[..., object]:
    """``sign_in_with_password(client, email, password=PASSWORD, next=None, **request_meta)``."""

    def sign_in(
        client: Client, email: str, password: str = PASSWORD, next: str | None = None, **meta: Any
    ):
        data = {"username": email, "password": password}
        if next is not None:
            data["next"] = next
        return client.post("/accounts/login/", data, **meta)

    return sign_in
