"""After enrolment, no row of any table holds the authenticator secret (in hex or in the base32
an app is given) or a recovery code: the secret is sealed with the key ring, bound to its field,
and the codes are kept only as keyed digests."""

import base64

import pytest
from django.db import connection

from okoa.accounts.actions import verify_sign_in_code
from okoa.accounts.models import AuthenticatorDevice, RecoveryCode, RecoveryCodeDevice
from okoa.lib import crypto


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


def raw_column(model, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def secret_spellings(device):
    base32 = base64.b32encode(device.bin_key).decode("ascii")
    return [device.key.lower(), base32.lower(), base32.rstrip("=").lower()]


def test_no_row_holds_the_secret_or_a_recovery_code(enrolled, database_text):
    text = database_text()

    for spelling in secret_spellings(enrolled.device):
        assert spelling not in text
    for code in enrolled.recovery_codes:
        assert code not in text
    assert RecoveryCode.objects.filter(device__user=enrolled.device.user).count() == 10


def test_the_secret_is_sealed_with_the_key_ring_and_bound_to_its_field(enrolled):
    stored = raw_column(AuthenticatorDevice, "key", enrolled.device.pk)

    assert stored.startswith(f"{crypto.FORMAT}:{crypto.key_ring().primary_key_id}:")
    assert crypto.key_ring().decrypt(stored, context="accounts.AuthenticatorDevice.key") == (
        enrolled.device.key
    )
    with pytest.raises(crypto.DecryptionError):
        crypto.key_ring().decrypt(stored, context="accounts.RecoveryCodeDevice.key")


def test_the_recovery_code_key_is_sealed_too(enrolled):
    device = RecoveryCodeDevice.objects.get(user=enrolled.device.user)

    stored = raw_column(RecoveryCodeDevice, "key", device.pk)

    assert stored.startswith(f"{crypto.FORMAT}:")
    assert device.key not in stored


def test_the_secret_stays_out_of_the_database_after_codes_are_checked(
    cast, enrolled, totp_code, database_text
):
    # Every check saves the device (counters, throttle): each save seals the secret again.
    verify_sign_in_code(cast.caseworker, code="000000")
    verify_sign_in_code(cast.caseworker, code=totp_code(enrolled.device))
    verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0])

    text = database_text()
    for spelling in secret_spellings(enrolled.device):
        assert spelling not in text
    for code in enrolled.recovery_codes:
        assert code not in text
