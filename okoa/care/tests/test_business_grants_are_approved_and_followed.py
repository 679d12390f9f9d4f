"""Economic empowerment: a business plan, a supervisor's grant approval, payments with their
M-Pesa or bank reference, and checks at 3, 6 and 12 months."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.care.actions import (
    approve_grant,
    record_business_check,
    record_disbursement,
    submit_business_plan,
)


@pytest.fixture
def plan(cast, make_case):
    case = make_case()
    return submit_business_plan(
        case,
        business_type="Soap making",
        location="Kisauni",
        budget=Decimal("45000"),
        by=cast.caseworker,
    )


def test_a_payment_waits_for_the_supervisors_approval(cast, plan):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        record_disbursement(
            plan,
            amount=Decimal(1),
            paid_on=today,
            channel="mpesa",
            reference="X",
            by=cast.caseworker,
        )
    with pytest.raises(ValidationError):
        approve_grant(plan, by=cast.caseworker)

    approve_grant(plan, by=cast.supervisor)
    payment = record_disbursement(
        plan,
        amount=Decimal("20000"),
        paid_on=today,
        channel="mpesa",
        reference="QKX7TR2B9L",
        by=cast.caseworker,
    )

    assert plan.status == "approved" and plan.approved_by == cast.supervisor
    assert payment.reference == "QKX7TR2B9L"


def test_negative_amounts_and_future_dates_are_refused_per_field(cast, plan):
    approve_grant(plan, by=cast.supervisor)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        record_disbursement(
            plan,
            amount=Decimal(-5),
            paid_on=tomorrow,
            channel="cash",
            reference="",
            by=cast.caseworker,
        )

    assert set(raised.value.message_dict) == {"amount", "paid_on", "channel", "reference"}
    with pytest.raises(ValidationError) as raised:
        submit_business_plan(
            plan.case, business_type="Shop", location="Voi", budget=Decimal(-1), by=cast.caseworker
        )
    assert "budget" in raised.value.message_dict


def test_the_business_is_checked_at_three_six_and_twelve_months(cast, plan):
    today = timezone.localdate()
    for month, state in ((3, "trading"), (6, "struggling"), (12, "trading")):
        record_business_check(plan, month=month, checked_on=today, state=state, by=cast.caseworker)

    assert [(check.month, check.state) for check in plan.checks.all()] == [
        (3, "trading"),
        (6, "struggling"),
        (12, "trading"),
    ]
    with pytest.raises(ValidationError):
        record_business_check(plan, month=9, checked_on=today, state="closed", by=cast.caseworker)


def test_the_page_approves_and_records_a_payment(client, cast, plan):
    client.force_login(cast.supervisor)
    path = f"/cases/{plan.case.code}/livelihood/"

    assert client.post(path, {"form": "approve"}).status_code == 302
    response = client.post(
        path,
        {
            "form": "payment",
            "payment-amount": "5000",
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-channel": "bank",
            "payment-reference": "FT26112300123",
        },
    )

    assert response.status_code == 302
    assert plan.disbursements.get().amount == Decimal("5000")
    client.force_login(cast.analyst)
    html = client.get(path).content.decode()
    assert "Soap making" in html and "FT26112300123" not in html and "Kisauni" not in html
