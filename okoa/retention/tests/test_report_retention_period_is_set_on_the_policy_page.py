"""Organisation administrators set, next to the identities' period, how long reports that
finished without a case are kept: two years unless they choose otherwise, a number of days
within limits, or empty to keep them. Bad input is refused on the field, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from okoa.audit.models import ChangeRecord
from okoa.retention.actions import set_retention_policy
from okoa.retention.models import RetentionPolicy

URL = "/retention/policy/"


def test_the_page_offers_two_years_before_anything_is_saved(client, cast):
    client.force_login(cast.admin)

    response = client.get(URL)

    assert response.context["form"].initial["caseless_report_retention_days"] == 730
    assert 'name="caseless_report_retention_days"' in response.content.decode()


def test_an_administrator_sets_both_periods(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        URL, {"closed_case_retention_days": "1825", "caseless_report_retention_days": "365"}
    )

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=cast.ngo)
    assert (policy.closed_case_retention_days, policy.caseless_report_retention_days) == (
        1825,
        365,
    )
    change = ChangeRecord.objects.get(record_kind="retention_policy")
    assert change.fields == ["caseless_report_retention_days", "closed_case_retention_days"]


def test_the_page_shows_the_current_report_period(client, cast):
    set_retention_policy(
        cast.ngo,
        closed_case_retention_days=None,
        caseless_report_retention_days=400,
        by=cast.admin,
    )
    client.force_login(cast.admin)

    response = client.get(URL)

    assert response.context["form"].initial["caseless_report_retention_days"] == 400
    assert "Reports without a case: 400 days." in response.content.decode()


@pytest.mark.parametrize("value", ["89", "0", "-1", "36501", "two years", "1.5"])
def test_a_report_period_out_of_range_is_refused_on_its_field(client, cast, value):
    client.force_login(cast.admin)

    response = client.post(
        URL, {"closed_case_retention_days": "400", "caseless_report_retention_days": value}
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["caseless_report_retention_days"]
    assert "closed_case_retention_days" not in errors
    assert not RetentionPolicy.objects.exists()


@pytest.mark.parametrize("value", ["90", "36500"])
def test_the_limits_themselves_are_allowed(client, cast, value):
    client.force_login(cast.admin)

    client.post(URL, {"caseless_report_retention_days": value})

    assert RetentionPolicy.objects.get().caseless_report_retention_days == int(value)


def test_an_empty_report_period_keeps_reports(client, cast):
    set_retention_policy(cast.ngo, closed_case_retention_days=400, by=cast.admin)
    client.force_login(cast.admin)

    client.post(URL, {"closed_case_retention_days": "400", "caseless_report_retention_days": ""})

    policy = RetentionPolicy.objects.get()
    assert policy.caseless_report_retention_days is None
    change = ChangeRecord.objects.filter(record_kind="retention_policy").latest("id")
    assert (change.action, change.fields) == ("updated", ["caseless_report_retention_days"])
    page = client.get(URL).content.decode()
    assert "Reports without a case: kept until somebody erases them." in page


def test_the_action_checks_the_range_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as refused:
        set_retention_policy(
            cast.ngo,
            closed_case_retention_days=400,
            caseless_report_retention_days=30,
            by=cast.admin,
        )

    assert set(refused.value.error_dict) == {"caseless_report_retention_days"}
    assert not RetentionPolicy.objects.exists()


def test_changing_the_identities_period_leaves_the_report_period_alone(cast):
    set_retention_policy(
        cast.ngo, closed_case_retention_days=400, caseless_report_retention_days=200, by=None
    )

    set_retention_policy(cast.ngo, closed_case_retention_days=500, by=cast.admin)

    policy = RetentionPolicy.objects.get()
    assert (policy.closed_case_retention_days, policy.caseless_report_retention_days) == (500, 200)
    change = ChangeRecord.objects.filter(record_kind="retention_policy").latest("id")
    assert change.fields == ["closed_case_retention_days"]


def test_a_new_policy_set_without_a_report_period_gets_two_years(cast):
    policy = set_retention_policy(cast.ngo, closed_case_retention_days=400, by=cast.admin)

    assert policy.caseless_report_retention_days == 730


def test_the_database_refuses_a_report_period_out_of_range(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionPolicy.objects.create(organisation=cast.ngo, caseless_report_retention_days=10)
