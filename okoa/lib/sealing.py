"""Sealing the plaintext values of a column that becomes encrypted: what migrations run.

Frozen for migrations (``care/0004``, ``care/0005``, ``operations/0002``, ``operations/0003``
call it; ``cases/0008`` calls ``zero_freed_pages`` and ``restore_freed_pages``): change it only
in ways every one of them stays correct with, as a migration's own code would be. Each
converted column's non-empty values are sealed through the encrypted field of the historical
model (bound to its context, as the live code does); a value that already opens under the key
ring is left alone, so a conversion may run again; going back opens each value and writes the
plaintext again. Each update is a compare-and-swap on the value read, in
batches ordered by primary key. On SQLite ``secure_delete`` is switched on around the whole
migration (``zero_freed_pages`` first, ``restore_freed_pages`` last), so that the pages freed
by the table rebuild and the updates are zeroed.
"""

from collections.abc import Callable
from typing import Any

BATCH_SIZE = 500
_secure_delete_before: dict[str, int] = {}


def _is_sealed(value: str, context: str) -> bool:
    """Whether ``value`` is already a ciphertext of ``context`` under the key ring."""
    from okoa.lib import crypto

    try:
        crypto.key_ring().decrypt(value, context=context)
    except crypto.DecryptionError:
        return False
    return True


def convert(
    apps: Any,
    schema_editor: Any,
    fields: dict[str, tuple[str, ...]],
    app_label: str,
    change: Callable[[Any, str], str | None],
) -> None:
    """Apply ``change(field, value)`` to every non-empty value; None leaves the value as is.

    Each update is a compare-and-swap on the value read, in batches ordered by primary key.
    """
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, names in fields.items():
        model = apps.get_model(app_label, model_name)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        for name in names:
            field = model._meta.get_field(name)
            column = quote(field.column)
            last = None
            with connection.cursor() as cursor:
                while True:
                    after = "" if last is None else f"AND {pk} > %s "
                    cursor.execute(
                        f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' "  # noqa: S608 (names from the model)
                        f"{after}ORDER BY {pk} LIMIT %s",
                        ([] if last is None else [last]) + [BATCH_SIZE],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    for row_pk, value in rows:
                        new = change(field, value)
                        if new is not None and new != value:
                            cursor.execute(
                                f"UPDATE {table} SET {column} = %s "  # noqa: S608
                                f"WHERE {pk} = %s AND {column} = %s",
                                [new, row_pk, value],
                            )
                    last = rows[-1][0]


def _seal(field, value):
    if _is_sealed(value, field.context):
        return None
    return field.get_prep_value(value)


def _open(field, value):
    if not _is_sealed(value, field.context):
        return None
    return field.from_db_value(value, None, None)


def seal(field: Any, value: str) -> str | None:
    if _is_sealed(value, field.context):
        return None
    return field.get_prep_value(value)


def open_sealed(field: Any, value: str) -> str | None:
    if not _is_sealed(value, field.context):
        return None
    return field.from_db_value(value, None, None)


def zero_freed_pages(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            (_secure_delete_before[connection.alias],) = cursor.fetchone()
            cursor.execute("PRAGMA secure_delete = ON")


def restore_freed_pages(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    before = _secure_delete_before.pop(connection.alias, None)
    if connection.vendor == "sqlite" and before is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")
