"""Move every encrypted value to the primary key, and rebuild blind indexes under a new key.

Both run while Okoa keeps serving: work proceeds in small batches, each its own short
transaction, and every update is a compare-and-swap on the old ciphertext, so a value a
caseworker saved meanwhile (already sealed under the primary key) is never overwritten. Both are
idempotent, so an interrupted run is resumed by running it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

from okoa.lib import crypto
from okoa.lib.fields import EncryptedMixin

Progress = Callable[[str], None]


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Yield every model that has encrypted fields, with those fields."""
    for model in apps.get_models():
        fields: list[models.Field] = [
            model_field
            for model_field in model._meta.concrete_fields
            if isinstance(model_field, EncryptedMixin)
        ]
        if fields:
            yield model, fields


def _pk_column(model: type[models.Model]) -> str:
    assert model._meta.pk is not None
    return str(model._meta.pk.column)


@dataclass
class RotationReport:
    examined: int = 0
    resealed: int = 0
    under_other_keys: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)


def _batches(model: type[models.Model], columns: list[str], batch_size: int):
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(_pk_column(model))
    selected = ", ".join(connection.ops.quote_name(column) for column in columns)
    last = None
    while True:
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(
                    f"SELECT {pk}, {selected} FROM {table} ORDER BY {pk} LIMIT %s",  # noqa: S608
                    [batch_size],
                )
            else:
                cursor.execute(
                    f"SELECT {pk}, {selected} FROM {table} WHERE {pk} > %s "  # noqa: S608
                    f"ORDER BY {pk} LIMIT %s",
                    [last, batch_size],
                )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def reseal_all(*, batch_size: int = 500, progress: Progress | None = None) -> RotationReport:
    """Re-encrypt every value that is not sealed under the primary key."""
    ring = crypto.key_ring()
    report = RotationReport()
    for model, fields in encrypted_columns():
        columns = [str(model_field.column) for model_field in fields]
        contexts = [model_field.context for model_field in fields]  # type: ignore[attr-defined]
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(_pk_column(model))
        for rows in _batches(model, columns, batch_size):
            with transaction.atomic(), connection.cursor() as cursor:
                for row in rows:
                    for column, context, value in zip(columns, contexts, row[1:], strict=True):
                        report.examined += 1
                        if not value or ring.key_id_of(value) == ring.primary_key_id:
                            continue
                        sealed = ring.encrypt(ring.decrypt(value, context=context), context=context)
                        quoted = connection.ops.quote_name(column)
                        cursor.execute(
                            f"UPDATE {table} SET {quoted} = %s "  # noqa: S608
                            f"WHERE {pk} = %s AND {quoted} = %s",
                            [sealed, row[0], value],
                        )
                        report.resealed += cursor.rowcount
        if progress:
            progress(f"{model._meta.label}: done")
    return report


def verify_all(*, batch_size: int = 1000) -> RotationReport:
    """Open every encrypted value; count those not under the primary key and any unreadable."""
    ring = crypto.key_ring()
    report = RotationReport()
    for model, fields in encrypted_columns():
        columns = [str(model_field.column) for model_field in fields]
        contexts = [model_field.context for model_field in fields]  # type: ignore[attr-defined]
        for rows in _batches(model, columns, batch_size):
            for row in rows:
                for context, value in zip(contexts, row[1:], strict=True):
                    if not value:
                        continue
                    report.examined += 1
                    try:
                        ring.decrypt(value, context=context)
                    except crypto.DecryptionError:
                        # Opaque row id and field only: never the value.
                        report.unreadable.append(f"{context} row {row[0]}")
                        continue
                    key_id = ring.key_id_of(value)
                    if key_id != ring.primary_key_id:
                        report.under_other_keys[key_id] = report.under_other_keys.get(key_id, 0) + 1
    return report


def retire_unused_keys(report: RotationReport) -> list[str]:
    """Mark the key checks of keys that no value uses any more as retired; return their ids."""
    from okoa.vault.models import KeyCheck

    ring = crypto.key_ring()
    retired = []
    for check in KeyCheck.objects.filter(retired_at__isnull=True).exclude(
        key_id=ring.primary_key_id
    ):
        if report.under_other_keys.get(check.key_id, 0) == 0:
            check.retired_at = timezone.now()
            check.save(update_fields=["retired_at"])
            retired.append(check.key_id)
    return retired


def rebuild_blind_indexes(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Recompute every person's search tokens under the current blind-index key."""
    # Imported here: the vault is a foundation app, and only this command reaches into people.
    from okoa.people.actions import index_person
    from okoa.people.models import Person

    count = 0
    last = 0
    while True:
        batch = list(
            Person.objects.select_related("organisation")
            .filter(pk__gt=last)
            .order_by("pk")[:batch_size]
        )
        if not batch:
            break
        with transaction.atomic():
            for person in batch:
                index_person(person)
        count += len(batch)
        last = batch[-1].pk
        if progress:
            progress(f"search tokens rebuilt for {count} people")
    return count


def rebuild_other_blind_indexes(*, batch_size: int = 500) -> dict[str, int]:
    """Recompute the search tokens that other apps keep (intake reports and calls)."""
    # Imported here, like people above: only this command reaches into the feature apps.
    from okoa.intake.actions import rebuild_intake_indexes

    return {"reports and calls": rebuild_intake_indexes(batch_size=batch_size)}


def blind_indexes_match(*, sample: int | None = None) -> bool:
    """Whether stored search tokens equal those computed under the current key."""
    from okoa.people.actions import search_keys_for
    from okoa.people.models import Person, PersonSearchToken

    ring = crypto.key_ring()
    people = Person.objects.select_related("organisation").order_by("pk")
    if sample is not None:
        people = people[:sample]
    for person in people.iterator(chunk_size=500):
        scope_key = ring.index_key_for(person.organisation.code)
        expected = {crypto.blind_index_with(scope_key, key) for key in search_keys_for(person)}
        stored = set(
            PersonSearchToken.objects.filter(person=person).values_list("token", flat=True)
        )
        if expected != stored:
            return False
    return True


def record_new_index_probe() -> None:
    """After a blind-index rebuild, store the probe of the new key in every key check."""
    from okoa.vault.keys import INDEX_PROBE_SCOPE, PROBE_TEXT
    from okoa.vault.models import KeyCheck

    probe = crypto.key_ring().blind_index(PROBE_TEXT, scope=INDEX_PROBE_SCOPE)
    KeyCheck.objects.update(index_probe=probe)
