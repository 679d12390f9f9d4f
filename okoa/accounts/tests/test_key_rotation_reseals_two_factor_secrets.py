"""``rotate_keys`` reseals the authenticator secret and the recovery-code key under the new
encryption key; apps and recovery codes keep working, with the old key gone. A new blind-index
key leaves them untouched."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from okoa.accounts.actions import CodeCheck, verify_sign_in_code
from okoa.accounts.models import AuthenticatorDevice, RecoveryCodeDevice
from okoa.lib import crypto

OLD = crypto.new_key_text()
NEW = crypto.new_key_text()
INDEX = crypto.new_key_text()
NEW_INDEX = crypto.new_key_text()


@pytest.fixture
def enrolled_under_the_old_key(cast, enrol, swap_keys):
    swap_keys(encryption=f"old:{OLD}", index=INDEX)
    return enrol(cast.caseworker)


def key_ids(model):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {model._meta.db_table}")
        return {value.split(":")[1] for (value,) in cursor.fetchall()}


def test_rotation_moves_the_secrets_to_the_new_key(
    cast, enrolled_under_the_old_key, swap_keys, totp_code
):
    enrolled = enrolled_under_the_old_key
    assert key_ids(AuthenticatorDevice) == key_ids(RecoveryCodeDevice) == {"old"}
    swap_keys(encryption=f"new:{NEW},old:{OLD}", index=INDEX)

    call_command("rotate_keys", stdout=io.StringIO())

    assert key_ids(AuthenticatorDevice) == key_ids(RecoveryCodeDevice) == {"new"}
    swap_keys(encryption=f"new:{NEW}", index=INDEX)  # the old key is gone
    device = AuthenticatorDevice.objects.get(pk=enrolled.device.pk)
    assert device.key == enrolled.device.key
    assert verify_sign_in_code(cast.caseworker, code=totp_code(device)).check is (
        CodeCheck.ACCEPTED
    )
    assert verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.ACCEPTED
    )


def test_a_new_blind_index_key_leaves_recovery_codes_working(
    cast, enrolled_under_the_old_key, swap_keys
):
    enrolled = enrolled_under_the_old_key
    settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = INDEX
    try:
        swap_keys(encryption=f"old:{OLD}", index=NEW_INDEX)
        call_command("rotate_keys", blind_index=True, stdout=io.StringIO())
    finally:
        settings.OKOA_PREVIOUS_BLIND_INDEX_KEY = None
    swap_keys(encryption=f"old:{OLD}", index=NEW_INDEX)

    assert verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.ACCEPTED
    )
