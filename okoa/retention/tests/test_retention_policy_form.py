"""Organisation administrators set the retention period on /retention/policy/: a number of days
within limits, or empty for no automatic erasure. Nobody else reaches the page."""

import pytest
from django.core.exceptions import ValidationError

from okoa.audit.models import ChangeRecord
from okoa.retention.actions import set_retention_policy
from okoa.retention.models import RetentionPolicy

URL = "/retention/policy/"


def test_an_administrator_sets_the_period(client, cast):
    client.force_login(cast.admin)

    response = client.post(URL, {"closed_case_retention_days": "1825"})

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=cast.ngo)
    assert (policy.closed_case_retention_days, policy.updated_by) == (1825, cast.admin)
    change = ChangeRecord.objects.get(record_kind="retention_policy")
    assert (change.record_code, change.fields) == (cast.ngo.code, ["closed_case_retention_days"])


def test_the_page_shows_the_current_period(client, cast):
    set_retention_policy(cast.ngo, closed_case_retention_days=400, by=cast.admin)
    client.force_login(cast.admin)

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["form"].initial["closed_case_retention_days"] == 400


@pytest.mark.parametrize("value", ["29", "0", "-5", "36501", "soon", "1.5"])
def test_a_period_out_of_range_is_refused_on_the_field(client, cast, value):
    client.force_login(cast.admin)

    response = client.post(URL, {"closed_case_retention_days": value})

    assert response.status_code == 400
    assert response.context["form"].errors["closed_case_retention_days"]
    assert not RetentionPolicy.objects.exists()


@pytest.mark.parametrize("value", ["30", "36500"])
def test_the_limits_themselves_are_allowed(client, cast, value):
    client.force_login(cast.admin)

    client.post(URL, {"closed_case_retention_days": value})

    assert RetentionPolicy.objects.get().closed_case_retention_days == int(value)


def test_an_empty_period_means_no_automatic_erasure(client, cast):
    set_retention_policy(cast.ngo, closed_case_retention_days=400, by=cast.admin)
    client.force_login(cast.admin)

    client.post(URL, {"closed_case_retention_days": ""})

    assert RetentionPolicy.objects.get().closed_case_retention_days is None


def test_the_action_checks_the_range_too(cast):
    with pytest.raises(ValidationError) as refused:
        set_retention_policy(cast.ngo, closed_case_retention_days=7, by=cast.admin)

    assert "closed_case_retention_days" in refused.value.error_dict


@pytest.mark.parametrize("role", ["supervisor", "caseworker", "analyst", "operator"])
def test_other_roles_get_a_404(client, cast, role):
    client.force_login(getattr(cast, role))

    assert client.get(URL).status_code == 404
    assert client.post(URL, {"closed_case_retention_days": "100"}).status_code == 404
    assert not RetentionPolicy.objects.exists()
