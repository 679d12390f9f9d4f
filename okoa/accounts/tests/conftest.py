"""Fixtures for sign-in tests: two-step verification switched on, enrolled users, TOTP codes,
the raw database as text and a swappable key ring."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django_otp.oath import TOTP

from conftest import PASSWORD
from okoa.accounts.actions import confirm_two_factor_device, start_two_factor_enrolment
from okoa.accounts.models import AuthenticatorDevice, User
from okoa.lib import crypto
from okoa.vault import keys


@dataclass
class Enrolled:
    device: AuthenticatorDevice
    recovery_codes: list[str]


def code_at(device: AuthenticatorDevice, moment: float | None = None) -> str:
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


@pytest.fixture
def database_text() -> Callable[[], str]:
    """``database_text()``: every row of every table, as one lower-case text to search."""

    def read() -> str:
        chunks: list[str] = []
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                chunks.extend(repr(row) for row in cursor.fetchall())
        return "\n".join(chunks).lower()

    return read


@pytest.fixture
def swap_keys(settings) -> Iterator[Callable[..., None]]:
    """``swap_keys(encryption="id:BASE64,...", index="BASE64")``: a fresh key ring for one test."""

    def swap(*, encryption: str, index: str) -> None:
        settings.OKOA_ENCRYPTION_KEYS = encryption
        settings.OKOA_BLIND_INDEX_KEY = index
        crypto.reset_key_ring()
        keys.forget_verification()

    yield swap
    crypto.reset_key_ring()
    keys.forget_verification()
