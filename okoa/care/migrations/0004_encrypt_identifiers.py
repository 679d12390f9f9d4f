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
from okoa.lib import sealing

# Frozen for this migration: the fields it converts, by model.
FIELDS = {
    "LegalProcess": ("ob_number", "court_case_number"),
    "BusinessPlan": ("location",),
    "Disbursement": ("reference",),
}


def encrypt_identifiers(apps, schema_editor):
    """Seal every plaintext value of the converted fields through the encrypted field."""
    sealing.convert(apps, schema_editor, FIELDS, "care", sealing.seal)


def decrypt_identifiers(apps, schema_editor):
    """Write every sealed value of the converted fields back as plaintext (going back)."""
    sealing.convert(apps, schema_editor, FIELDS, "care", sealing.open_sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0003_goal_progress_and_follow_up_policy"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sealing.zero_freed_pages, sealing.restore_freed_pages, elidable=False),
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
        migrations.RunPython(sealing.restore_freed_pages, sealing.zero_freed_pages, elidable=False),
    ]
