"""Every view of a screening leaves an access record naming it by its opaque code."""

from okoa.audit.models import AccessRecord


def reads(user, kind="screening"):
    return list(
        AccessRecord.objects.filter(user=user, record_kind=kind).values_list(
            "record_code", "channel"
        )
    )


def test_opening_a_screening_is_recorded(client, cast, make_case, screen):
    case = make_case()
    screening = screen(case)
    client.force_login(cast.analyst)

    client.get(f"/cases/{case.code}/screenings/{screening.code}/")

    assert reads(cast.analyst) == [(screening.code, "page")]


def test_the_history_records_each_screening_shown(client, cast, make_case, screen):
    case = make_case()
    first, second = screen(case), screen(case)
    client.force_login(cast.caseworker)

    client.get(f"/cases/{case.code}/screenings/")

    assert sorted(reads(cast.caseworker)) == sorted([(first.code, "page"), (second.code, "page")])


def test_the_questionnaire_records_a_read_of_the_case(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    client.get(f"/cases/{case.code}/screening/new/")

    assert reads(cast.caseworker, kind="case") == [(case.code, "page")]


def test_a_refused_decision_still_records_the_screening_shown_again(
    client, cast, make_case, screen
):
    case = make_case()
    screening = screen(case)
    client.force_login(cast.caseworker)

    client.post(f"/cases/{case.code}/screenings/{screening.code}/decision/", {"decision": ""})

    assert reads(cast.caseworker) == [(screening.code, "page")]
