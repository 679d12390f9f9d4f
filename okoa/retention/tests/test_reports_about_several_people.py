"""A report about several people loses only the erased person's own entries while others still
have cases from it; the last erasure empties it."""

import pytest

from okoa.intake.actions import create_report, open_case_from_report
from okoa.intake.models import Report
from okoa.people.access import search_people_for_user


@pytest.fixture
def two_sisters(cast):
    report = create_report(
        cast.ngo,
        channel="hotline",
        by=cast.operator,
        reporter_relationship="relative",
        subject_names=["Nyokabi Wambui", "Njeri Wambui"],
        subject_phone_numbers=["0722 987 654", "0799 100 200"],
        subject_document_numbers=["AK1234567", "BK7654321"],
        narrative="Two sisters are kept in the same house.",
    ).report
    first = open_case_from_report(
        report,
        by=cast.caseworker,
        person_values={
            "given_name": "Nyokabi",
            "family_name": "Wambui",
            "phone_numbers": ["0722 987 654"],
            "passport_number": "AK1234567",
        },
    )
    second = open_case_from_report(
        report,
        by=cast.caseworker,
        person_values={"given_name": "Njeri", "family_name": "Wambui"},
    )
    return report, first.person, second.person


def test_the_first_erasure_removes_only_that_persons_entries(cast, two_sisters, erase):
    report, first, _second = two_sisters

    erase(first)

    report = Report.objects.get(pk=report.pk)
    assert report.subject_names == ["Njeri Wambui"]
    assert report.subject_phone_numbers == ["0799 100 200"]
    assert report.subject_document_numbers == ["BK7654321"]
    assert report.narrative == "Two sisters are kept in the same house."
    assert search_people_for_user(cast.membership(cast.caseworker), "Njeri Wambui")


def test_the_last_erasure_empties_the_report(two_sisters, erase):
    report, first, second = two_sisters

    erase(first)
    erase(second)

    report = Report.objects.get(pk=report.pk)
    assert (report.subject_names, report.narrative) == ([], "")
    assert not report.search_tokens.exists()
