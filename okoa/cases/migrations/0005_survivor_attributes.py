"""Copy the survivor's sex and county of origin onto each case, for the case list's filters."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_survivor_attributes(apps, schema_editor):
    """Fill the copies from each case's person (one UPDATE; indexes come after it)."""
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("people", "Person")
    person = Person.objects.filter(pk=OuterRef("person_id"))
    Case.objects.update(
        survivor_sex=Subquery(person.values("sex")[:1]),
        survivor_county_id=Subquery(person.values("county_of_origin_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_care_event_kinds"),
        ("people", "0002_person_erased_at"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="survivor_county",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reference.county",
                verbose_name="county of origin",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="survivor_sex",
            field=models.CharField(
                choices=[
                    ("female", "Female"),
                    ("male", "Male"),
                    ("other", "Other"),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                editable=False,
                max_length=8,
                verbose_name="sex",
            ),
        ),
        migrations.RunPython(copy_survivor_attributes, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["organisation", "survivor_county", "id"], name="case_org_county"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["organisation", "survivor_sex", "id"], name="case_org_sex"),
        ),
    ]
