"""Possible duplicates are found on blind-index tokens: other reports and people on file that
share a phone or document number or two name sounds, and reports from the same country and city
within three days."""

import datetime

from django.utils import timezone

from okoa.audit.models import AccessRecord
from okoa.intake.access import possible_duplicates_for_user
from okoa.people.actions import create_person


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def matches(cast, report, user=None):
    found = possible_duplicates_for_user(cast.membership(user or cast.caseworker), report)
    return (
        {match.record.pk: match.reasons for match in found.reports},
        {match.record.pk: match.reasons for match in found.people},
    )


def test_the_same_phone_number_written_differently_is_a_possible_duplicate(cast, make_report):
    first = make_report(reporter_phone="0712 345 678").report
    second = make_report(subject_phone_numbers=["+254712345678"]).report
    make_report(reporter_phone="0799 000 111")

    reports, _people = matches(cast, second)

    assert reports == {first.pk: ["phone"]}


def test_the_same_document_number_is_a_possible_duplicate(cast, make_report):
    first = make_report(subject_document_numbers=["ak 908-1726"]).report
    second = make_report(subject_document_numbers=["AK9081726"]).report

    assert matches(cast, second)[0] == {first.pk: ["document"]}


def test_similar_names_match_when_two_parts_sound_alike(cast, make_report):
    first = make_report(subject_names=["Wanjiku Mwangi"]).report
    second = make_report(subject_names=["Wanjikuu Mwangy"]).report
    make_report(subject_names=["Wanjiku Otieno"])  # one part only: not enough

    assert matches(cast, second)[0] == {first.pk: ["names"]}


def test_the_same_place_within_three_days_is_a_possible_duplicate(cast, make_report, countries):
    near = make_report(
        location_country=countries.saudi_arabia, location_city="Jeddah", received_at=ago(2)
    ).report
    make_report(location_country=countries.saudi_arabia, location_city="Jeddah", received_at=ago(9))
    make_report(location_country=countries.oman, location_city="Jeddah", received_at=ago(1))
    report = make_report(location_country=countries.saudi_arabia, location_city=" jeddah ").report

    assert matches(cast, report)[0] == {near.pk: ["place"]}


def test_several_reasons_are_all_given(cast, make_report, countries):
    first = make_report(
        reporter_phone="0712 345 678",
        subject_names=["Amina Wekesa"],
        location_country=countries.oman,
        location_city="Muscat",
    ).report
    second = make_report(
        reporter_phone="0712345678",
        subject_names=["Aminah Wekesa"],
        location_country=countries.oman,
        location_city="Muscat",
    ).report

    assert matches(cast, second)[0] == {first.pk: ["phone", "names", "place"]}


def test_a_person_on_file_with_the_same_phone_or_names_is_offered(cast, make_report):
    person = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Nafula",
        family_name="Barasa",
        phone_numbers=["0722 987 654"],
    )
    by_phone = make_report(subject_phone_numbers=["254722987654"]).report
    by_names = make_report(subject_names=["Naful Barassa"]).report

    assert matches(cast, by_phone)[1] == {person.pk: ["phone"]}
    assert matches(cast, by_names)[1] == {person.pk: ["names"]}


def test_operators_are_not_offered_peoples_files(cast, make_report):
    create_person(cast.ngo, by=cast.caseworker, given_name="Nafula", phone_numbers=["0722987654"])
    report = make_report(subject_phone_numbers=["0722987654"]).report

    assert matches(cast, report, user=cast.operator)[1] == {}


def test_nothing_of_another_organisation_is_ever_a_duplicate(cast, make_report):
    make_report(organisation=cast.partner, by=cast.partner_caseworker, reporter_phone="0712345678")
    create_person(
        cast.partner, by=cast.partner_caseworker, given_name="Ayan", phone_numbers=["0712345678"]
    )
    report = make_report(reporter_phone="0712345678").report

    assert matches(cast, report) == ({}, {})


def test_the_report_page_lists_duplicates_and_records_reading_the_people_shown(
    client, cast, make_report
):
    person = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Nafula",
        family_name="Barasa",
        phone_numbers=["0722987654"],
    )
    earlier = make_report(reporter_phone="0722987654").report
    report = make_report(reporter_phone="0722 987 654").report
    client.force_login(cast.caseworker)

    text = client.get(f"/intake/reports/{report.code}/").content.decode()

    assert earlier.reference in text
    assert "Nafula Barasa" in text
    assert "same phone number" in text
    assert AccessRecord.objects.filter(
        user=cast.caseworker, record_kind="person", record_code=person.code
    ).exists()
