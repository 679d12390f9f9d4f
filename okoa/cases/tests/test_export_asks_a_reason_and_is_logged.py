import csv
import io

import pytest
from django.urls import reverse

from okoa.audit.models import AccessRecord, ExportRecord


@pytest.fixture
def cases(make_case, cast):
    return [
        make_case(given_name='=HYPERLINK("http://x")', family_name="Otieno", sex="male"),
        make_case(given_name="Njambi", family_name="Karanja", sex="female"),
    ]


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_an_export_without_a_reason_is_refused_and_not_logged(client, cast, cases):
    client.force_login(cast.caseworker)
    response = client.post(reverse("cases:export"), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not ExportRecord.objects.exists()


def test_an_export_is_logged_with_its_reason_before_it_is_sent(client, cast, cases):
    client.force_login(cast.caseworker)
    response = client.post(
        reverse("cases:export"),
        {"reason": "Quarterly report to the secretariat", "include_identities": "on"},
    )
    assert response["Content-Type"] == "text/csv"
    rows = rows_of(response)
    record = ExportRecord.objects.get()
    assert record.reason == "Quarterly report to the secretariat"
    assert record.row_count == 2 and record.includes_identities
    assert AccessRecord.objects.filter(channel="export").count() == 2
    given_names = {row[rows[0].index("given_name")] for row in rows[1:]}
    # Formula injection: the dangerous name is exported as text.
    assert given_names == {'\'=HYPERLINK("http://x")', "Njambi"}


def test_the_minimum_export_carries_no_identities(client, cast, cases):
    client.force_login(cast.caseworker)
    response = client.post(reverse("cases:export"), {"reason": "Counting cases by county"})
    rows = rows_of(response)
    assert "given_name" not in rows[0]
    assert "Njambi" not in str(rows)


def test_an_analyst_cannot_ask_for_identities(client, cast, cases):
    client.force_login(cast.analyst)
    response = client.post(
        reverse("cases:export"), {"reason": "Counting cases by county", "include_identities": "on"}
    )
    rows = rows_of(response)
    assert "given_name" not in rows[0] and "Njambi" not in str(rows)
    assert not ExportRecord.objects.get().includes_identities


def test_filters_apply_to_the_export(client, cast, cases):
    client.force_login(cast.caseworker)
    response = client.post(
        reverse("cases:export"), {"reason": "Men only, for a report", "sex": "male"}
    )
    rows = rows_of(response)
    assert len(rows) == 2 and rows[1][rows[0].index("sex")] == "Male"


def test_another_organisation_exports_none_of_our_cases(client, cast, cases):
    client.force_login(cast.partner_caseworker)
    response = client.post(reverse("cases:export"), {"reason": "Trying to see their cases"})
    assert len(rows_of(response)) == 1
