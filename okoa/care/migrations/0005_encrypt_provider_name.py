"""Encrypt the name of a care service's outside provider.

It was a plain text column, but an outside provider may be a private counsellor, a family
looking after a child, or a school that says where a survivor's child is. The column becomes the
encrypted field's text column, then every plaintext name is sealed through that field (bound to
``care.CareService.provider_name``, as the live code does); a value that already opens under the
key ring is left alone, so the conversion may run again. An empty name stays empty, so the
constraint that a service has one provider only (``provider_name = ''`` when another
organisation provides it) still holds. On SQLite ``secure_delete`` is on for the whole
migration, so the pages freed by the table rebuild and the updates are zeroed. The conversion is the frozen one of ``okoa.lib.sealing``.

Reversible: going back opens each name and writes the plaintext again (an operator's explicit
choice when rolling a release back).
"""

import django.core.validators
from django.db import migrations

import okoa.lib.fields
from okoa.lib import sealing

# Frozen for this migration: the fields it converts, by model.
FIELDS = {"CareService": ("provider_name",)}


def encrypt_provider_names(apps, schema_editor):
    """Seal every plaintext provider name through the encrypted field."""
    sealing.convert(apps, schema_editor, FIELDS, "care", sealing.seal)


def decrypt_provider_names(apps, schema_editor):
    """Write every sealed provider name back as plaintext (going back)."""
    sealing.convert(apps, schema_editor, FIELDS, "care", sealing.open_sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0004_encrypt_identifiers"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sealing.zero_freed_pages, sealing.restore_freed_pages, elidable=False),
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
        migrations.RunPython(sealing.restore_freed_pages, sealing.zero_freed_pages, elidable=False),
    ]
