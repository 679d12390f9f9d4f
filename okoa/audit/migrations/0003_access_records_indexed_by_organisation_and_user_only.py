"""Drop the index of ``AccessRecord.organisation`` alone: (organisation, user, at) serves it.

Only the index is dropped (``DROP INDEX``): Django's own AlterField would copy the whole audit
table on SQLite to do it.
"""

import django.db.models.deletion
from django.db import migrations, models


def _single_column_indexes(schema_editor, model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return [
        name
        for name, details in constraints.items()
        if details["index"]
        and not details["unique"]
        and not details["primary_key"]
        and details["columns"] == ["organisation_id"]
    ]


def drop_index(apps, schema_editor):
    model = apps.get_model("audit", "AccessRecord")
    for name in _single_column_indexes(schema_editor, model):
        schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_index(apps, schema_editor):
    model = apps.get_model("audit", "AccessRecord")
    field = model._meta.get_field("organisation")
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_move_second_factor_secrets"),
        ("audit", "0002_exportrecord"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accessrecord",
                    name="organisation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
