"""Encrypt the reasons given for corrections on a rescue operation's manifest.

A correction's reason is somebody's words about the person on the manifest, and it was a plain
text column. The column becomes the encrypted field's text column, then every plaintext reason
is sealed through that field (bound to ``operations.ManifestEvent.reason``, as the live code
does); a value that already opens under the key ring is left alone, so the conversion may run
again. On SQLite ``secure_delete`` is on for the whole migration, so the pages freed by the table
rebuild and the updates are zeroed. The conversion is a frozen copy of the one in
``care/0004_encrypt_identifiers`` (migrations do not import each other).

Reversible: going back opens each reason and writes the plaintext again.
"""

from django.db import migrations

import okoa.lib.fields
from okoa.lib import sealing

# Frozen for this migration: the fields it converts, by model.
FIELDS = {"ManifestEvent": ("reason",)}


def encrypt_correction_reasons(apps, schema_editor):
    """Seal every plaintext correction reason through the encrypted field."""
    sealing.convert(apps, schema_editor, FIELDS, "operations", sealing.seal)


def decrypt_correction_reasons(apps, schema_editor):
    """Write every sealed correction reason back as plaintext (going back)."""
    sealing.convert(apps, schema_editor, FIELDS, "operations", sealing.open_sealed)


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_initial"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sealing.zero_freed_pages, sealing.restore_freed_pages, elidable=False),
        migrations.AlterField(
            model_name="manifestevent",
            name="reason",
            field=okoa.lib.fields.EncryptedTextField(blank=True, max_length=500),
        ),
        migrations.RunPython(
            encrypt_correction_reasons, decrypt_correction_reasons, elidable=False
        ),
        migrations.RunPython(sealing.restore_freed_pages, sealing.zero_freed_pages, elidable=False),
    ]
