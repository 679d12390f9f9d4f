"""Recovery codes are stored only as HMAC-SHA256 digests under their set's own sealed key,
compared in constant time; a code belongs to one user, and a new set makes the old codes and
their key worthless."""

import hashlib
import hmac
from unittest import mock

import pytest

from okoa.accounts.actions import CodeCheck, regenerate_recovery_codes, verify_sign_in_code
from okoa.accounts.models import RecoveryCode, RecoveryCodeDevice, recovery_code_digest


@pytest.fixture
def enrolled(cast, enrol):
    return enrol(cast.caseworker)


def test_each_code_is_stored_as_its_keyed_digest(cast, enrolled):
    device = RecoveryCodeDevice.objects.get(user=cast.caseworker)
    stored = set(device.codes.values_list("digest", flat=True))

    expected = {
        hmac.new(bytes.fromhex(device.key), code.encode(), hashlib.sha256).hexdigest()
        for code in enrolled.recovery_codes
    }
    assert stored == expected
    unkeyed = {hashlib.sha256(code.encode()).hexdigest() for code in enrolled.recovery_codes}
    assert not stored & unkeyed


def test_every_digest_is_compared_even_after_a_match(cast, enrolled):
    with mock.patch(
        "okoa.accounts.models.hmac.compare_digest", wraps=hmac.compare_digest
    ) as compare:
        result = verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0])

    assert result.check is CodeCheck.ACCEPTED
    assert compare.call_count == 10


def test_a_code_is_used_up_by_the_one_who_uses_it(cast, enrol, enrolled):
    enrol(cast.supervisor)

    assert verify_sign_in_code(cast.supervisor, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.REFUSED
    )
    assert verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.ACCEPTED
    )
    assert verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.REFUSED
    )
    assert RecoveryCode.objects.filter(device__user=cast.supervisor).count() == 10


def test_a_new_set_gets_a_new_key_and_the_old_codes_stop_working(cast, enrolled):
    device = RecoveryCodeDevice.objects.get(user=cast.caseworker)
    old_key = device.key

    new_codes = regenerate_recovery_codes(cast.caseworker, by=cast.caseworker)

    device.refresh_from_db()
    assert device.key != old_key
    assert RecoveryCodeDevice.objects.filter(user=cast.caseworker).count() == 1
    assert set(device.codes.values_list("digest", flat=True)) == {
        recovery_code_digest(device.key, code) for code in new_codes
    }
    assert verify_sign_in_code(cast.caseworker, code=enrolled.recovery_codes[0]).check is (
        CodeCheck.REFUSED
    )
