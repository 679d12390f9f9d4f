"""A partner's name outside Okoa and its notes are encrypted at rest (a family paying is people,
and notes may name the people brought home): no table row holds them, the page still shows the
name, a family's name only to roles that see names, the length limit is kept on the field, and
the migration that converted the plain-text columns seals old values (and opens them again going
back)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from okoa.operations.actions import add_operation_partner
from okoa.operations.forms import PartnerForm
from okoa.operations.models import OperationPartner

migration = importlib.import_module(
    "okoa.operations.migrations.0003_encrypt_partner_name_and_notes"
)
FAMILY = "Familia ya Obuya Magero"
NOTES = "Mzee Obuya sends the money through his brother at the Jua Kali garage."


@pytest.fixture
def family(cast, operation):
    return add_operation_partner(
        operation, by=cast.caseworker, role="families_paying", external_name=FAMILY, notes=NOTES
    )


def raw_values() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT external_name, notes FROM operations_operationpartner")
        return list(cursor.fetchall())


def all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def test_the_name_and_notes_are_stored_sealed_and_read_back(family):
    [(name, notes)] = raw_values()

    assert name.startswith("okoa1:") and notes.startswith("okoa1:")
    text = all_rows_as_text()
    assert "magero" not in text and "jua kali garage" not in text
    partner = OperationPartner.objects.get(pk=family.pk)
    assert (partner.external_name, partner.notes) == (FAMILY, NOTES)


def test_an_okoa_organisation_leaves_both_columns_empty(cast, operation):
    add_operation_partner(operation, by=cast.caseworker, role="police", organisation=cast.partner)

    assert raw_values() == [("", "")]


def test_a_familys_name_is_shown_only_to_roles_that_see_names(client, cast, operation, family):
    url = f"/operations/{operation.code}/"
    client.force_login(cast.caseworker)
    assert FAMILY in client.get(url).content.decode()

    client.force_login(cast.analyst)
    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Magero" not in text and "A family" in text


def test_a_name_too_long_is_refused_on_the_field_and_nothing_is_saved(cast, operation):
    form = PartnerForm({"role": "other", "external_name": "N" * 201}, lead=operation.organisation)
    assert not form.is_valid() and "external_name" in form.errors

    with pytest.raises(ValidationError) as refused:
        add_operation_partner(operation, by=cast.caseworker, role="other", external_name="N" * 201)

    assert "external_name" in refused.value.message_dict
    assert not OperationPartner.objects.exists()


def test_the_migration_seals_old_plaintext_values_once_and_reverses(family):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE operations_operationpartner SET external_name = %s, notes = %s",
            [FAMILY, NOTES],
        )
    schema_editor = SimpleNamespace(connection=connection)

    migration.encrypt_partner_names_and_notes(apps, schema_editor)
    sealed = raw_values()
    migration.encrypt_partner_names_and_notes(apps, schema_editor)

    [(name, notes)] = sealed
    assert name.startswith("okoa1:") and notes.startswith("okoa1:")
    assert raw_values() == sealed
    partner = OperationPartner.objects.get(pk=family.pk)
    assert (partner.external_name, partner.notes) == (FAMILY, NOTES)
    migration.decrypt_partner_names_and_notes(apps, schema_editor)
    assert raw_values() == [(FAMILY, NOTES)]


def test_a_private_partner_is_not_named_to_roles_without_names_an_embassy_is(
    client, cast, operation
):
    add_operation_partner(
        operation, by=cast.caseworker, role="other", external_name="Bi Zuhura Chivatsi"
    )
    add_operation_partner(
        operation, by=cast.caseworker, role="embassy", external_name="Embassy of Freedonia"
    )
    client.force_login(cast.analyst)

    text = client.get(f"/operations/{operation.code}/").content.decode()

    assert "Zuhura" not in text and "A private partner" in text
    assert "Embassy of Freedonia" in text
