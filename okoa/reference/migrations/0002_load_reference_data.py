"""Load the shipped reference data (countries, counties, sub-counties, code lists)."""

from django.db import migrations

from okoa.reference.loading import load_reference_data


def load(apps, schema_editor):
    """Upsert the CSV files in okoa/reference/data into the historical models."""
    # Hazard: this calls today's loader with the models as they were at this migration. If a
    # later migration adds a required field to these models, give it a default or teach the
    # loader to skip it for older model states.
    load_reference_data(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
