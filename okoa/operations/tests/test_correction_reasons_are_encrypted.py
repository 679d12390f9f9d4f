"""A correction's reason is encrypted at rest, and the migration that converted the plain-text
column seals old reasons (and opens them again going back)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from okoa.operations.actions import add_to_manifest, change_manifest_status
from okoa.operations.models import ManifestEvent

migration = importlib.import_module("okoa.operations.migrations.0002_encrypt_correction_reasons")
REASON = "Typed at Jomo Kenyatta airport for the wrong Nafula"


def raw_reasons() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM operations_manifestevent WHERE reason <> ''")
        return [reason for (reason,) in cursor.fetchall()]


@pytest.fixture
def corrected(cast, operation):
    entry = add_to_manifest(
        operation, by=cast.caseworker, person={"given_name": "Nafula"}, status="arrived"
    )
    return change_manifest_status(entry, to="rescued", by=cast.caseworker, reason=REASON)


def test_the_reason_is_stored_sealed_and_read_back(corrected):
    (raw,) = raw_reasons()

    assert raw.startswith("okoa1:") and "airport" not in raw
    assert ManifestEvent.objects.get(entry=corrected, from_status="arrived").reason == REASON


def test_a_reason_too_long_is_refused_and_nothing_changes(cast, operation):
    entry = add_to_manifest(
        operation, by=cast.caseworker, person={"given_name": "Akinyi"}, status="arrived"
    )

    with pytest.raises(ValidationError) as refused:
        change_manifest_status(entry, to="rescued", by=cast.caseworker, reason="r" * 501)

    assert "reason" in refused.value.message_dict
    entry.refresh_from_db()
    assert entry.status == "arrived"
    assert not ManifestEvent.objects.filter(entry=entry, from_status="arrived").exists()


def test_the_migration_seals_an_old_plaintext_reason_once_and_reverses(corrected):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE operations_manifestevent SET reason = %s WHERE reason <> ''", [REASON]
        )
    schema_editor = SimpleNamespace(connection=connection)

    migration.encrypt_correction_reasons(apps, schema_editor)
    (sealed,) = raw_reasons()
    migration.encrypt_correction_reasons(apps, schema_editor)

    assert sealed.startswith("okoa1:") and raw_reasons() == [sealed]
    assert ManifestEvent.objects.get(entry=corrected, from_status="arrived").reason == REASON
    migration.decrypt_correction_reasons(apps, schema_editor)
    assert raw_reasons() == [REASON]
