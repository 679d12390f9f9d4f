"""Move two-step verification out of django-otp's plaintext tables into Okoa's own devices.

django-otp's ``otp_totp.TOTPDevice.key`` (the TOTP secret) and ``otp_static.StaticToken.token``
(recovery codes) are plaintext. Each TOTP device becomes an ``accounts.AuthenticatorDevice``
with the same secret, encrypted with the key ring, and the same counters (drift, last step
used, throttle, dates), so apps keep working and a used code stays used. Each user's recovery
codes become one ``accounts.RecoveryCodeDevice`` whose codes are kept only as keyed digests.
Then the plaintext rows are deleted (on SQLite with ``secure_delete``, so the freed pages are
zeroed rather than left holding the secrets).

Sessions verified before this migration name the old devices: they end, and their users sign
in again with a code. Irreversible, on purpose: going back would mean writing the secrets in
plaintext again, and recovery codes cannot be recovered from their digests.
"""

import hashlib
import hmac
from collections import defaultdict

from django.db import migrations

TOTP_FIELDS = (
    "name",
    "confirmed",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "last_used_at",
)


def recovery_code_digest(key: str, code: str) -> str:
    # Frozen copy of okoa.accounts.models.recovery_code_digest as of this migration (a test
    # checks that the codes moved here still work with the live code).
    return hmac.new(bytes.fromhex(key), code.encode("utf-8"), hashlib.sha256).hexdigest()


def move_second_factor_secrets(apps, schema_editor):
    """Copy every TOTP device and recovery code into accounts, then delete the plaintext rows."""
    OldTOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    OldStaticDevice = apps.get_model("otp_static", "StaticDevice")
    OldStaticToken = apps.get_model("otp_static", "StaticToken")
    AuthenticatorDevice = apps.get_model("accounts", "AuthenticatorDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    database = schema_editor.connection.alias

    for old in OldTOTPDevice.objects.using(database).order_by("pk"):
        new = AuthenticatorDevice(user_id=old.user_id, key=old.key.lower())
        for field in TOTP_FIELDS:
            setattr(new, field, getattr(old, field))
        new.save(using=database)
        # created_at is auto_now_add: saving set it to now; keep the real enrolment date.
        AuthenticatorDevice.objects.using(database).filter(pk=new.pk).update(
            created_at=old.created_at
        )

    # Okoa kept one confirmed set per user; merge any others, keep the strictest throttle.
    devices_by_user = defaultdict(list)
    for old in OldStaticDevice.objects.using(database).filter(confirmed=True).order_by("pk"):
        devices_by_user[old.user_id].append(old)
    for user_id, olds in devices_by_user.items():
        codes = set(
            OldStaticToken.objects.using(database)
            .filter(device__in=olds)
            .values_list("token", flat=True)
        )
        strictest = max(olds, key=lambda device: device.throttling_failure_count)
        used = [device.last_used_at for device in olds if device.last_used_at is not None]
        new = RecoveryCodeDevice(
            user_id=user_id,
            name=olds[0].name,
            confirmed=True,
            throttling_failure_timestamp=strictest.throttling_failure_timestamp,
            throttling_failure_count=strictest.throttling_failure_count,
            last_used_at=max(used) if used else None,
        )
        new.save(using=database)
        created = [device.created_at for device in olds if device.created_at is not None]
        RecoveryCodeDevice.objects.using(database).filter(pk=new.pk).update(
            created_at=min(created) if created else None
        )
        RecoveryCode.objects.using(database).bulk_create(
            RecoveryCode(device=new, digest=recovery_code_digest(new.key, code))
            for code in sorted(codes)
        )

    with schema_editor.connection.cursor() as cursor:
        sqlite = schema_editor.connection.vendor == "sqlite"
        if sqlite:
            cursor.execute("PRAGMA secure_delete")
            (secure_delete_before,) = cursor.fetchone()
            cursor.execute("PRAGMA secure_delete = ON")
        try:
            OldStaticToken.objects.using(database).all().delete()
            OldStaticDevice.objects.using(database).all().delete()
            OldTOTPDevice.objects.using(database).all().delete()
        finally:
            if sqlite:
                cursor.execute(f"PRAGMA secure_delete = {int(secure_delete_before)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_second_factor_devices"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
        # Sealing a secret checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        # Irreversible (no reverse_code): see the module docstring.
        migrations.RunPython(move_second_factor_secrets, reverse_code=None, elidable=False),
    ]
