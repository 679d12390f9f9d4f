"""No reporter's name, phone number, contact, narrative, place, employer or agency, and no call's
number or notes, can be read from any row of any table."""

import pytest
from django.db import connection

from okoa.intake.actions import (
    close_report,
    create_report,
    log_hotline_call,
    open_group_incident,
    refer_report,
)

SECRETS = [
    "Mwanaisha",
    "Kadzo",
    "0733456789",
    "733456789",
    "Signal after ten",
    "Chepkoech",
    "0711987654",
    "PX4417001",
    "Al Khobar",
    "Villa behind the mosque",
    "locked in the store room",
    "Nuru Household Services",
    "Bidii Manpower Consultants",
    "call me on the other line",
    "Tawi legal clinic",
    "Barabara ya Pwani",
]


@pytest.fixture
def recorded(cast, countries):
    report = create_report(
        cast.ngo,
        channel="web",
        by=None,
        reporter_name="Mwanaisha Kadzo",
        reporter_phone="0733456789",
        reporter_contact="call me on the other line",
        safe_contact="Signal after ten",
        subject_names=["Halima Chepkoech"],
        subject_phone_numbers=["0711987654"],
        subject_document_numbers=["PX4417001"],
        location_country=countries.saudi_arabia,
        location_city="Al Khobar",
        location_details="Villa behind the mosque",
        narrative="She is locked in the store room at night.",
        employer="Nuru Household Services",
        recruitment_agency="Bidii Manpower Consultants",
    ).report
    open_group_incident(report, by=cast.caseworker, estimated_size=3, location="Barabara ya Pwani")
    refer_report(
        report, to="Tawi legal clinic", reason="other_service", note="Kadzo agreed", by=None
    )
    other = create_report(cast.ngo, channel="sms", by=None, narrative="Msaada")
    close_report(other.report, reason="false_report", note="Chepkoech again", by=None)
    log_hotline_call(
        cast.ngo,
        by=cast.operator,
        category="trafficking_report",
        caller_phone="0733456789",
        notes="Mwanaisha called about Halima",
    )
    return report


def all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_table_row_holds_a_plaintext_identifier(recorded):
    text = all_rows_as_text().lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_the_report_reads_back_decrypted(recorded):
    recorded.refresh_from_db()
    assert recorded.reporter_name == "Mwanaisha Kadzo"
    assert recorded.subject_document_numbers == ["PX4417001"]
    assert recorded.recruitment_agency == "Bidii Manpower Consultants"


def test_the_pin_is_stored_only_as_a_keyed_hash(cast):
    received = create_report(cast.ngo, channel="web", by=None, narrative="Msaada")

    assert received.pin is not None
    assert received.pin not in all_rows_as_text()
    assert received.report.pin_hash.startswith("hmac_sha256$")
