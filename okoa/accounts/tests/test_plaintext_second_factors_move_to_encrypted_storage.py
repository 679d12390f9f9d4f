"""Migration accounts 0004 turns django-otp's plaintext TOTP devices and recovery codes into
Okoa's devices (secret sealed, codes as keyed digests), keeps their counters so no used code
works again, deletes the plaintext rows, and cannot be reversed.

The conversion runs here on rows made through the historical models of the migration state
just before 0004, as the migration itself sees them."""

import importlib
from datetime import UTC, datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_otp.oath import TOTP

from okoa.accounts.access import has_two_factor, recovery_codes_left
from okoa.accounts.actions import CodeCheck, verify_sign_in_code
from okoa.accounts.models import AuthenticatorDevice, RecoveryCodeDevice

MIGRATION_NAME = "0004_move_second_factor_secrets"
migration = importlib.import_module(f"okoa.accounts.migrations.{MIGRATION_NAME}")

SECRET = "3132333435363738393031323334353637383930"  # 20 bytes, in hex, as django-otp keeps it
CODES = ["abcd2345", "efgh6723", "ijkl4567"]
ENROLLED_ON = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
STEP = 30
# The moment the codes are typed (the phone's codes are computed for it), and its time step.
MOMENT = 1_900_000_015
NOW_STEP = MOMENT // STEP


@pytest.fixture
def old_apps(db):
    """The models as migration 0004 sees them (django-otp's tables are still there)."""
    loader = MigrationLoader(connection)
    return loader.project_state(("accounts", MIGRATION_NAME), at_end=False).apps


@pytest.fixture
def plaintext_devices(old_apps, cast):
    TOTPDevice = old_apps.get_model("otp_totp", "TOTPDevice")
    StaticDevice = old_apps.get_model("otp_static", "StaticDevice")
    StaticToken = old_apps.get_model("otp_static", "StaticToken")
    app = TOTPDevice.objects.create(
        user_id=cast.caseworker.pk,
        name="Authenticator app",
        confirmed=True,
        key=SECRET,
        drift=-1,  # the phone's clock runs a step behind
        last_t=NOW_STEP - 1,  # the code of the last step was used already
        throttling_failure_count=0,
        last_used_at=ENROLLED_ON,
    )
    TOTPDevice.objects.filter(pk=app.pk).update(created_at=ENROLLED_ON)
    TOTPDevice.objects.create(
        user_id=cast.supervisor.pk, name="Authenticator app", confirmed=False, key="ab" * 20
    )
    recovery = StaticDevice.objects.create(
        user_id=cast.caseworker.pk, name="Recovery codes", confirmed=True
    )
    StaticDevice.objects.filter(pk=recovery.pk).update(created_at=ENROLLED_ON)
    for code in CODES:
        StaticToken.objects.create(device=recovery, token=code)
    unconfirmed = StaticDevice.objects.create(
        user_id=cast.supervisor.pk, name="Recovery codes", confirmed=False
    )
    StaticToken.objects.create(device=unconfirmed, token="mnop2345")


def move(old_apps):
    migration.move_second_factor_secrets(old_apps, SimpleNamespace(connection=connection))


def code_at(moment):
    totp = TOTP(bytes.fromhex(SECRET), STEP, 0, 6)
    totp.time = moment
    return f"{totp.token():06d}"


def test_the_app_keeps_its_secret_and_counters(old_apps, plaintext_devices, cast):
    move(old_apps)

    device = AuthenticatorDevice.objects.get(user=cast.caseworker)
    assert device.key == SECRET
    assert (device.confirmed, device.drift, device.name) == (True, -1, "Authenticator app")
    assert device.last_t == NOW_STEP - 1
    assert device.created_at == ENROLLED_ON
    assert device.last_used_at == ENROLLED_ON
    unconfirmed = AuthenticatorDevice.objects.get(user=cast.supervisor)
    assert (unconfirmed.confirmed, unconfirmed.key) == (False, "ab" * 20)


def test_codes_keep_working_and_used_ones_stay_used(old_apps, plaintext_devices, cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # two tries in a row, without waiting
    move(old_apps)

    with mock.patch("time.time", return_value=MOMENT):
        # Inside the drift window, but its step was used before the migration.
        used_already = verify_sign_in_code(cast.caseworker, code=code_at(MOMENT - STEP))
        fresh = verify_sign_in_code(cast.caseworker, code=code_at(MOMENT))

    assert used_already.check is CodeCheck.REFUSED
    assert fresh.check is CodeCheck.ACCEPTED


def test_recovery_codes_work_once_each(old_apps, plaintext_devices, cast):
    move(old_apps)

    assert recovery_codes_left(cast.caseworker) == 3
    for code in CODES:
        assert verify_sign_in_code(cast.caseworker, code=code).check is CodeCheck.ACCEPTED
    assert recovery_codes_left(cast.caseworker) == 0
    assert verify_sign_in_code(cast.caseworker, code=CODES[0]).check is CodeCheck.REFUSED
    assert RecoveryCodeDevice.objects.get(user=cast.caseworker).created_at == ENROLLED_ON
    # An unconfirmed set never worked and is not carried over.
    assert not RecoveryCodeDevice.objects.filter(user=cast.supervisor).exists()
    assert not has_two_factor(cast.supervisor)


def test_no_plaintext_is_left(old_apps, plaintext_devices, database_text):
    move(old_apps)

    for model in ("otp_totp.TOTPDevice", "otp_static.StaticDevice", "otp_static.StaticToken"):
        assert not old_apps.get_model(model).objects.exists(), model
    text = database_text()
    for secret in [SECRET, "ab" * 20, *CODES, "mnop2345"]:
        assert secret not in text


def test_nothing_to_move_changes_nothing(old_apps, cast):
    move(old_apps)

    assert not AuthenticatorDevice.objects.exists()
    assert not RecoveryCodeDevice.objects.exists()


def test_the_migration_is_applied_and_irreversible(db):
    (operation,) = migration.Migration.operations

    assert operation.reversible is False
    assert ("accounts", MIGRATION_NAME) in MigrationRecorder(connection).applied_migrations()
