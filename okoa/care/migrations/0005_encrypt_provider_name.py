"""Encrypt the name of a care service's outside provider.

It was a plain text column, but an outside provider may be a private counsellor, a family
looking after a child, or a school that says where a survivor's child is. The column becomes the
encrypted field's text column, then every plaintext name is sealed through that field (bound to
``care.CareService.provider_name``, as the live code does); a value that already opens under the
key ring is left alone, so the conversion may run again. An empty name stays empty, so the
constraint that a service has one provider only (``provider_name = ''`` when another
organisation provides it) still holds. On SQLite ``secure_delete`` is on for the whole
migration, so the pages freed by the table rebuild and the updates are zeroed. The conversion is
a frozen copy of the one in ``care/0004_encrypt_identifiers`` (migrations do not import each
other).

Reversible: going back opens each name and writes the plaintext again (an operator's explicit
choice when rolling a release back).
"""

import django.core.validators
from django.db import migrations

import okoa.lib.fields

# Frozen for this migration: the fields it converts, by model.
FIELDS = {"CareService": ("provider_name",)}
BATCH_SIZE = 500
_secure_delete_before: dict[str, int] = {}


def _is_sealed(value, context):
    """Whether ``value`` is already a ciphertext of ``context`` under the key ring."""
    from okoa.lib import crypto

    try:
        crypto.key_ring().decrypt(value, context=context)
    except crypto.DecryptionError:
        return False
    return True


def _convert(apps, schema_editor, fields, app_label, change):
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
                        f"SELECT {pk}, {column} FROM {table} WHERE {column} <> '' "
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
                                f"UPDATE {table} SET {column} = %s "
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


def encrypt_provider_names(apps, schema_editor):
    """Seal every plaintext provider name through the encrypted field."""
    _convert(apps, schema_editor, FIELDS, "care", _seal)


def decrypt_provider_names(apps, schema_editor):
    """Write every sealed provider name back as plaintext (going back)."""
    _convert(apps, schema_editor, FIELDS, "care", _open)


def zero_freed_pages(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            (_secure_delete_before[connection.alias],) = cursor.fetchone()
            cursor.execute("PRAGMA secure_delete = ON")


def restore_freed_pages(apps, schema_editor):
    connection = schema_editor.connection
    before = _secure_delete_before.pop(connection.alias, None)
    if connection.vendor == "sqlite" and before is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_encrypt_identifiers"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(zero_freed_pages, restore_freed_pages, elidable=False),
        migrations.AlterField(
            model_name="careservice",
            name="provider_name",
            field=okoa.lib.fields.EncryptedTextField(
                blank=True,
                max_length=120,
                validators=[django.core.validators.MaxLengthValidator(120)],
                verbose_name="outside provider",
            ),
        ),
        migrations.RunPython(encrypt_provider_names, decrypt_provider_names, elidable=False),
        migrations.RunPython(restore_freed_pages, zero_freed_pages, elidable=False),
    ]
