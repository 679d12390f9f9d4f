"""An outside provider's name (a private counsellor, a family, a child's school) is encrypted at
rest: no table row holds it, caseworkers still see it, analysts do not, the one-provider rule
still holds in the database, the length limit is kept on the field, and the migration that
converted the plain-text column seals old names (and opens them again going back)."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from okoa.care.actions import add_care_service, update_care_service
from okoa.care.forms import CareServiceForm
from okoa.care.models import CareService

migration = importlib.import_module("okoa.care.migrations.0005_encrypt_provider_name")
PROVIDER = "Counselling room of Dr Wairimu Gachanja"


@pytest.fixture
def service(cast, make_case):
    case = make_case(given_name="Nekesa", family_name="Simiyu")
    return add_care_service(
        case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="counselling",
        provider_name=PROVIDER,
    )


def raw_provider_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT provider_name FROM care_careservice WHERE provider_name <> ''")
        return [name for (name,) in cursor.fetchall()]


def all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def test_the_name_is_stored_sealed_and_read_back(service):
    (raw,) = raw_provider_names()

    assert raw.startswith("okoa1:") and "Gachanja" not in raw
    assert "gachanja" not in all_rows_as_text()
    assert CareService.objects.get(pk=service.pk).provider_name == PROVIDER


def test_the_caseworker_sees_it_and_the_analyst_does_not(client, cast, service):
    url = f"/cases/{service.plan.case.code}/care/"
    client.force_login(cast.caseworker)
    assert PROVIDER in client.get(url).content.decode()

    client.force_login(cast.analyst)
    page = client.get(url)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Gachanja" not in text and "An outside provider" in text


def test_another_organisation_and_a_name_together_are_still_refused(cast, service):
    with pytest.raises(ValidationError) as refused:
        update_care_service(service, by=cast.caseworker, provider_organisation=cast.partner)
    assert "provider_name" in refused.value.message_dict

    # The database keeps the rule too: an empty name stays empty in the column.
    with pytest.raises(IntegrityError), transaction.atomic():
        CareService.objects.filter(pk=service.pk).update(provider_organisation=cast.partner)
    update_care_service(
        service, by=cast.caseworker, provider_organisation=cast.partner, provider_name=""
    )
    assert raw_provider_names() == []


def test_a_name_too_long_is_refused_on_the_field_and_nothing_changes(cast, service):
    form = CareServiceForm({"provider_name": "P" * 121}, case=service.plan.case)
    assert not form.is_valid() and "provider_name" in form.errors

    with pytest.raises(ValidationError) as refused:
        update_care_service(service, by=cast.caseworker, provider_name="P" * 121)

    assert "provider_name" in refused.value.message_dict
    assert CareService.objects.get(pk=service.pk).provider_name == PROVIDER


def test_the_migration_seals_an_old_plaintext_name_once_and_reverses(service):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE care_careservice SET provider_name = %s WHERE id = %s", [PROVIDER, service.pk]
        )
    schema_editor = SimpleNamespace(connection=connection)

    migration.encrypt_provider_names(apps, schema_editor)
    (sealed,) = raw_provider_names()
    migration.encrypt_provider_names(apps, schema_editor)

    assert sealed.startswith("okoa1:") and raw_provider_names() == [sealed]
    assert CareService.objects.get(pk=service.pk).provider_name == PROVIDER
    migration.decrypt_provider_names(apps, schema_editor)
    assert raw_provider_names() == [PROVIDER]
