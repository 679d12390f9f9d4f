"""Every read of a person's file or a case through the API leaves an access record."""

from okoa.audit.models import AccessRecord


def records(**filters):
    return list(
        AccessRecord.objects.filter(channel="api", **filters)
        .order_by("id")
        .values_list("user__email", "record_kind", "record_code")
    )


def test_reading_a_case_is_recorded_with_the_person_it_names(cast, api_as, case, survivor):
    api_as(cast.caseworker).get(f"/api/cases/{case.code}")
    assert records() == [
        (cast.caseworker.email, "case", case.code),
        (cast.caseworker.email, "person", survivor.code),
    ]
    assert set(AccessRecord.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_an_analyst_reading_a_case_is_recorded_as_a_case_read_only(cast, api_as, case):
    api_as(cast.analyst).get(f"/api/cases/{case.code}")
    assert records() == [(cast.analyst.email, "case", case.code)]


def test_reading_a_person_is_recorded(cast, api_as, survivor):
    api_as(cast.caseworker).get(f"/api/people/{survivor.code}")
    assert records() == [(cast.caseworker.email, "person", survivor.code)]


def test_lists_that_show_names_record_each_record_listed(cast, api_as, case, survivor):
    api = api_as(cast.caseworker)
    api.get("/api/people")
    api.get("/api/cases")
    assert sorted(records()) == sorted(
        [
            (cast.caseworker.email, "person", survivor.code),
            (cast.caseworker.email, "case", case.code),
        ]
    )


def test_a_case_list_without_names_is_not_recorded(cast, api_as, case):
    api_as(cast.analyst).get("/api/cases")
    assert records() == []


def test_a_refused_read_records_nothing(cast, api_as, case, survivor):
    partner = api_as(cast.partner_caseworker)
    partner.get(f"/api/cases/{case.code}")
    partner.get(f"/api/people/{survivor.code}")
    assert records() == []


def test_writes_that_answer_with_the_file_record_the_read(cast, api_as, case):
    api_as(cast.caseworker).patch(
        f"/api/cases/{case.code}", {"version": 1, "scope": "transnational"}
    )
    assert ("case", case.code) in [(kind, code) for _email, kind, code in records()]
