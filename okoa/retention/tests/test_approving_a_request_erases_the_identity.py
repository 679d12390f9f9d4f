"""Approving an erasure request erases the person's identity and the free text about them, at
once: nothing of it is left in any table, no search finds them, and the counts stay."""

from django.db.models import Count

from okoa.audit.models import ChangeRecord
from okoa.cases.models import Case, CaseEvent, CaseNote
from okoa.intake.models import HotlineCall, Report, ReportSearchToken
from okoa.people.access import search_people_for_user
from okoa.people.models import Person, PersonSearchToken
from okoa.retention.models import Erasure, ErasureRequest
from okoa.retention.tests.conftest import SECRETS, all_rows_as_text, stored_ciphertexts
from okoa.screening.models import Screening, ScreeningAnswer


def test_no_table_keeps_any_of_the_ciphertexts_the_file_held(survivor_file, erase):
    before = stored_ciphertexts()
    assert len(before) >= 15  # names, numbers, narrative, note, screening, report, call

    erase(survivor_file.person)

    text = all_rows_as_text()
    left = [value for value in before if value in text]
    assert left == []


def test_no_table_holds_the_file_in_plain_text_either(survivor_file, erase):
    # The reason of a status change ("Went home to Mlima Tatu.") is sealed on the timeline.
    closing = CaseEvent.objects.get(case=survivor_file.case, kind=CaseEvent.Kind.STATUS_CHANGED)
    assert closing.text == "Went home to Mlima Tatu."
    assert "Mlima Tatu" not in all_rows_as_text()

    erase(survivor_file.person)

    text = all_rows_as_text().lower()
    for secret in SECRETS:
        assert secret.lower() not in text, secret


def test_the_person_is_no_longer_found_by_name_phone_or_document_number(cast, survivor_file, erase):
    membership = cast.membership(cast.caseworker)
    for query in ("Nyokabi Wambui", "Nyokabe Wambuy", "0722 987 654", "AK1234567", "27182818"):
        assert search_people_for_user(membership, query), query

    erase(survivor_file.person)

    for query in ("Nyokabi Wambui", "Nyokabe Wambuy", "0722 987 654", "AK1234567", "27182818"):
        assert search_people_for_user(membership, query) == [], query
    assert not PersonSearchToken.objects.filter(person=survivor_file.person).exists()
    assert not ReportSearchToken.objects.filter(report=survivor_file.report).exists()


def test_the_person_keeps_what_statistics_count(survivor_file, places, erase):
    def counts():
        return list(
            Person.objects.values("sex", "county_of_origin", "nationality", "birth_year")
            .annotate(number=Count("id"))
            .order_by("sex")
        )

    before = counts()

    erase(survivor_file.person)

    assert counts() == before
    person = survivor_file.person
    assert (person.sex, person.birth_year, person.county_of_origin) == (
        "female",
        1998,
        places.mombasa,
    )
    assert person.full_name == ""
    assert person.date_of_birth is None
    assert person.phone_numbers == [] and person.other_names == []
    assert person.national_id_number == "" and person.passport_number == ""
    assert person.erased_at is not None


def test_the_case_keeps_its_attributes_and_loses_its_free_text(survivor_file, erase):
    case = survivor_file.case
    events_before = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))

    erase(survivor_file.person)

    case = Case.objects.get(pk=case.pk)
    assert case.narrative == ""
    assert (case.status, case.reference, case.opened_at) == (
        "closed",
        survivor_file.case.reference,
        survivor_file.case.opened_at,
    )
    assert not CaseNote.objects.filter(case=case).exists()
    # The timeline keeps every entry (a dated "note added" counts the notes), without free text.
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == events_before
    closing = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STATUS_CHANGED)
    assert (closing.data, closing.text) == ({"previous": "open", "to": "closed"}, "")


def test_screenings_keep_their_answers_and_conclusions_without_notes(survivor_file, erase):
    erase(survivor_file.person)

    screening = Screening.objects.get(pk=survivor_file.screening.pk)
    assert screening.decision_reason == ""
    assert (screening.suggestion, screening.decision) == (
        survivor_file.screening.suggestion,
        "further_screening",
    )
    answers = ScreeningAnswer.objects.filter(screening=screening)
    assert answers.filter(answer="yes").count() == 1
    assert {answer.note for answer in answers} == {""}


def test_the_report_and_the_call_it_came_from_lose_their_personal_data(survivor_file, erase):
    erase(survivor_file.person)

    report = Report.objects.get(pk=survivor_file.report.pk)
    assert (report.narrative, report.reporter_phone, report.location_city) == ("", "", "")
    assert report.subject_names == [] and report.subject_phone_numbers == []
    assert report.recruitment_agency == ""
    assert (report.channel, report.reporter_relationship) == ("hotline", "relative")
    call = HotlineCall.objects.get(pk=survivor_file.call.pk)
    assert (call.caller_phone, call.caller_phone_token, call.notes) == ("", None, "")
    assert call.category == "trafficking_report"


def test_the_erasure_is_recorded_by_field_names_never_values(cast, survivor_file, erase):
    erasure_request = erase(survivor_file.person)

    assert erasure_request.status == ErasureRequest.Status.APPROVED
    assert erasure_request.decided_by == cast.supervisor
    erasure = Erasure.objects.get(person=survivor_file.person)
    assert (erasure.reason, erasure.by, erasure.request) == (
        "request",
        cast.supervisor,
        erasure_request,
    )
    change = ChangeRecord.objects.get(record_kind="person", action="erased")
    assert change.record_code == survivor_file.person.code
    assert change.fields == sorted(
        [
            "given_name",
            "family_name",
            "other_names",
            "date_of_birth",
            "phone_numbers",
            "national_id_number",
            "passport_number",
            "search_tokens",
        ]
    )
    case_change = ChangeRecord.objects.get(record_kind="case", action="erased")
    assert case_change.fields == sorted(
        [
            "narrative",
            "notes",
            "events.text",
            "screenings.decision_reason",
            "screenings.answers.note",
        ]
    )
    erased = ChangeRecord.objects.filter(action="erased")
    assert set(erased.values_list("record_kind", flat=True)) == {
        "person",
        "case",
        "report",
        "hotline_call",
    }
    text = repr(list(erased.values()))
    for secret in SECRETS:
        assert secret.lower() not in text.lower()
