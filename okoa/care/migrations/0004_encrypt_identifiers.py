"""Encrypt the legal process's numbers, the business's location and the payment references.

They were plain text columns: the occurrence book and court case numbers lead to police and
court records that name the survivor, the location says where they trade, and an M-Pesa or bank
reference leads to a payment record in their name. The columns become text columns of the
encrypted field, then every plaintext value is sealed through that field (bound to
``care.Model.field``, as the live code does). A value that already opens under the key ring is
left alone, so the conversion may run again. On SQLite ``secure_delete`` is on for the whole
migration, so the pages freed by the table rebuilds and the updates are zeroed rather than left
holding the old values.

Reversible: going back opens each value and writes the plaintext again (an operator's explicit
choice when rolling a release back).
"""

import django.core.validators
from django.db import migrations

import okoa.lib.fields

# Frozen for this migration: the fields it converts, by model.
FIELDS = {
    "LegalProcess": ("ob_number", "court_case_number"),
    "BusinessPlan": ("location",),
    "Disbursement": ("reference",),
}
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


def encrypt_identifiers(apps, schema_editor):
    """Seal every plaintext value of the converted fields through the encrypted field."""
    _convert(apps, schema_editor, FIELDS, "care", _seal)


def decrypt_identifiers(apps, schema_editor):
    """Write every sealed value of the converted fields back as plaintext (going back)."""
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
        ("care", "0003_goal_progress_and_follow_up_policy"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(zero_freed_pages, restore_freed_pages, elidable=False),
        migrations.AlterField(
            model_name="businessplan",
            name="location",
            field=okoa.lib.fields.EncryptedTextField(
                max_length=120,
                validators=[django.core.validators.MaxLengthValidator(120)],
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="disbursement",
            name="reference",
            field=okoa.lib.fields.EncryptedTextField(
                max_length=40,
                validators=[django.core.validators.MaxLengthValidator(40)],
                verbose_name="transaction reference",
            ),
        ),
        migrations.AlterField(
            model_name="legalprocess",
            name="court_case_number",
            field=okoa.lib.fields.EncryptedTextField(
                blank=True,
                max_length=60,
                validators=[django.core.validators.MaxLengthValidator(60)],
                verbose_name="court case number",
            ),
        ),
        migrations.AlterField(
            model_name="legalprocess",
            name="ob_number",
            field=okoa.lib.fields.EncryptedTextField(
                blank=True,
                max_length=40,
                validators=[django.core.validators.MaxLengthValidator(40)],
                verbose_name="occurrence book number",
            ),
        ),
        migrations.RunPython(encrypt_identifiers, decrypt_identifiers, elidable=False),
        migrations.RunPython(restore_freed_pages, zero_freed_pages, elidable=False),
    ]
