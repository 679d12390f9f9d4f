"""The legal process's numbers, the business's location and the payment references are
encrypted at rest: no table row holds them, the pages still show them to caseworkers, and the
form keeps their length limits."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from okoa.care.actions import (
    approve_grant,
    record_disbursement,
    submit_business_plan,
    update_legal_process,
)
from okoa.care.forms import LegalProcessForm
from okoa.care.models import BusinessPlan, Disbursement, LegalProcess

SECRETS = ["OB 57/03/2026", "CR 4418 of 2026", "Stall 9, Gikomba market", "RK42MW88TZ"]


@pytest.fixture
def recorded(cast, make_case):
    case = make_case(given_name="Wanjala", family_name="Nekesa")
    today = datetime.date.today()
    update_legal_process(
        case,
        by=cast.caseworker,
        ob_number="OB 57/03/2026",
        police_station="Kilimani",
        court_case_number="CR 4418 of 2026",
        stage="trial",
    )
    plan = submit_business_plan(
        case,
        business_type="Second-hand clothes",
        location="Stall 9, Gikomba market",
        budget=Decimal("30000"),
        by=cast.caseworker,
    )
    approve_grant(plan, by=cast.supervisor)
    record_disbursement(
        plan,
        amount=Decimal("15000"),
        paid_on=today,
        channel="mpesa",
        reference="RK42MW88TZ",
        by=cast.caseworker,
    )
    return case


def all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks).lower()


def test_no_table_row_holds_a_legal_number_location_or_payment_reference(recorded):
    text = all_rows_as_text()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_the_columns_hold_ciphertexts_that_read_back_as_entered(recorded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ob_number, court_case_number FROM care_legalprocess")
        raw = list(cursor.fetchone())
        cursor.execute("SELECT location FROM care_businessplan")
        raw += list(cursor.fetchone())
        cursor.execute("SELECT reference FROM care_disbursement")
        raw += list(cursor.fetchone())
    assert all(value.startswith("okoa1:") for value in raw), raw

    legal = LegalProcess.objects.get(case=recorded)
    payment = Disbursement.objects.get(plan__case=recorded)
    assert [
        legal.ob_number,
        legal.court_case_number,
        BusinessPlan.objects.get(case=recorded).location,
        payment.reference,
    ] == SECRETS


def test_the_caseworker_still_sees_them_on_the_pages(client, cast, recorded):
    client.force_login(cast.caseworker)

    legal = client.get(f"/cases/{recorded.code}/legal/").content.decode()
    livelihood = client.get(f"/cases/{recorded.code}/livelihood/").content.decode()

    assert "OB 57/03/2026" in legal and "CR 4418 of 2026" in legal
    assert "Stall 9, Gikomba market" in livelihood and "RK42MW88TZ" in livelihood


def test_the_analyst_sees_none_of_them(client, cast, recorded):
    client.force_login(cast.analyst)

    pages = [
        client.get(f"/cases/{recorded.code}/legal/"),
        client.get(f"/cases/{recorded.code}/livelihood/"),
    ]

    for page in pages:
        text = page.content.decode()
        for secret in SECRETS:
            assert secret not in text, (page.status_code, secret)


def test_the_legal_form_keeps_one_line_inputs_and_the_length_limits(cast, recorded):
    form = LegalProcessForm(
        {"ob_number": "B" * 41, "court_case_number": "C" * 61, "stage": "trial"}
    )

    assert not form.is_valid()
    assert set(form.errors) >= {"ob_number", "court_case_number"}
    html = str(LegalProcessForm()["ob_number"])
    assert 'type="text"' in html and 'maxlength="40"' in html


def test_the_actions_refuse_numbers_too_long_and_save_nothing(cast, make_case):
    case = make_case(given_name="Atieno")
    with pytest.raises(ValidationError) as refused:
        update_legal_process(case, by=cast.caseworker, ob_number="B" * 41)
    assert "ob_number" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        submit_business_plan(
            case, business_type="Kiosk", location="L" * 121, budget=Decimal(1), by=cast.caseworker
        )
    assert "location" in refused.value.message_dict
    assert not LegalProcess.objects.filter(case=case).exclude(ob_number="").exists()
    assert not BusinessPlan.objects.filter(case=case).exists()
