"""Encrypt the name and notes of an operation's partners outside Okoa.

They were plain text columns, but a partner outside Okoa may be a family (*families paying*) or
a private person, and the notes may name the people being brought home. The columns become the
encrypted field's text columns, then every plaintext value is sealed through that field (bound
to ``operations.OperationPartner.<field>``, as the live code does); a value that already opens
under the key ring is left alone, so the conversion may run again. On SQLite ``secure_delete``
is on for the whole migration, so the pages freed by the table rebuild and the updates are
zeroed. The conversion is a frozen copy of the one in ``care/0004_encrypt_identifiers``
(migrations do not import each other).

Reversible: going back opens each value and writes the plaintext again.
"""

import django.core.validators
from django.db import migrations

import okoa.lib.fields
from okoa.lib import sealing

# Frozen for this migration: the fields it converts, by model.
FIELDS = {"OperationPartner": ("external_name", "notes")}


def encrypt_partner_names_and_notes(apps, schema_editor):
    """Seal every plaintext partner name and note through the encrypted field."""
    sealing.convert(apps, schema_editor, FIELDS, "operations", sealing.seal)


def decrypt_partner_names_and_notes(apps, schema_editor):
    """Write every sealed partner name and note back as plaintext (going back)."""
    sealing.convert(apps, schema_editor, FIELDS, "operations", sealing.open_sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0002_encrypt_correction_reasons"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sealing.zero_freed_pages, sealing.restore_freed_pages, elidable=False),
        migrations.AlterField(
            model_name="operationpartner",
            name="external_name",
            field=okoa.lib.fields.EncryptedTextField(
                blank=True,
                max_length=200,
                validators=[django.core.validators.MaxLengthValidator(200)],
                verbose_name="name (if not on Okoa)",
            ),
        ),
        migrations.AlterField(
            model_name="operationpartner",
            name="notes",
            field=okoa.lib.fields.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.RunPython(
            encrypt_partner_names_and_notes, decrypt_partner_names_and_notes, elidable=False
        ),
        migrations.RunPython(sealing.restore_freed_pages, sealing.zero_freed_pages, elidable=False),
    ]
