"""The conversion in ``care/0004_encrypt_identifiers`` seals the plaintext values rows held
before it, leaves sealed values alone (it may run again), and its reverse opens them again."""

import datetime
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from okoa.care.actions import (
    approve_grant,
    record_disbursement,
    submit_business_plan,
    update_legal_process,
)
from okoa.care.models import BusinessPlan, Disbursement, LegalProcess

migration = importlib.import_module("okoa.care.migrations.0004_encrypt_identifiers")
OLD_VALUES = {
    ("care_legalprocess", "ob_number"): "OB 12/01/2025",
    ("care_legalprocess", "court_case_number"): "CR 77 of 2025",
    ("care_businessplan", "location"): "Shop 3, Kibuye market",
    ("care_disbursement", "reference"): "PX19QA55KD",
}


@pytest.fixture
def old_rows(cast, make_case):
    """Rows as the plain-text columns held them before the migration."""
    case = make_case(given_name="Chepkoech", family_name="Rotich")
    update_legal_process(case, by=cast.caseworker, ob_number="x", court_case_number="x")
    plan = submit_business_plan(
        case, business_type="Tailoring", location="x", budget=Decimal(1000), by=cast.caseworker
    )
    approve_grant(plan, by=cast.supervisor)
    record_disbursement(
        plan,
        amount=Decimal(500),
        paid_on=datetime.date.today(),
        channel="mpesa",
        reference="x",
        by=cast.caseworker,
    )
    with connection.cursor() as cursor:
        for (table, column), value in OLD_VALUES.items():
            cursor.execute(f"UPDATE {table} SET {column} = %s", [value])
    return case


def raw_values() -> dict[tuple[str, str], str]:
    values = {}
    with connection.cursor() as cursor:
        for table, column in OLD_VALUES:
            cursor.execute(f"SELECT {column} FROM {table}")
            (values[table, column],) = cursor.fetchone()
    return values


def convert(function) -> None:
    function(apps, SimpleNamespace(connection=connection))


def test_old_plaintext_values_are_sealed_and_read_back_unchanged(old_rows):
    convert(migration.encrypt_identifiers)

    raw = raw_values()
    for key, value in OLD_VALUES.items():
        assert raw[key].startswith("okoa1:") and value not in raw[key], key
    legal = LegalProcess.objects.get(case=old_rows)
    assert (legal.ob_number, legal.court_case_number) == ("OB 12/01/2025", "CR 77 of 2025")
    assert BusinessPlan.objects.get(case=old_rows).location == "Shop 3, Kibuye market"
    assert Disbursement.objects.get(plan__case=old_rows).reference == "PX19QA55KD"


def test_running_it_again_leaves_sealed_values_alone(old_rows):
    convert(migration.encrypt_identifiers)
    sealed = raw_values()

    convert(migration.encrypt_identifiers)

    assert raw_values() == sealed


def test_empty_values_stay_empty(cast, make_case):
    case = make_case(given_name="Nduta")
    update_legal_process(case, by=cast.caseworker, stage="investigation")

    convert(migration.encrypt_identifiers)

    legal = LegalProcess.objects.get(case=case)
    assert (legal.ob_number, legal.court_case_number) == ("", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT ob_number FROM care_legalprocess")
        assert cursor.fetchone() == ("",)


def test_going_back_writes_the_plaintext_again(old_rows):
    convert(migration.encrypt_identifiers)

    convert(migration.decrypt_identifiers)

    assert raw_values() == OLD_VALUES
