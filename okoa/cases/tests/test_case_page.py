"""The case page: survivor, details, timeline, notes, and only the allowed next statuses."""

from okoa.audit.models import AccessRecord
from okoa.cases.actions import change_case_status
from okoa.cases.models import Case, CaseNote


def test_case_page_leaves_an_access_record_for_the_case_and_the_person(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    client.get(f"/cases/{case.code}/")

    records = AccessRecord.objects.filter(user=cast.caseworker, channel="page")
    assert set(records.values_list("record_kind", "record_code")) == {
        ("case", case.code),
        ("person", case.person.code),
    }


def test_case_page_for_an_analyst_leaves_a_case_record_only(client, cast, make_case):
    case = make_case()
    client.force_login(cast.analyst)

    client.get(f"/cases/{case.code}/")

    records = AccessRecord.objects.filter(user=cast.analyst)
    assert list(records.values_list("record_kind", flat=True)) == ["case"]


def test_case_list_leaves_one_access_record_per_case_whose_name_it_shows(client, cast, make_case):
    cases = [make_case() for _ in range(3)]
    client.force_login(cast.caseworker)

    client.get("/cases/")

    shown = AccessRecord.objects.filter(user=cast.caseworker, record_kind="case")
    assert sorted(shown.values_list("record_code", flat=True)) == sorted(c.code for c in cases)


def test_case_list_for_an_analyst_leaves_no_access_record(client, cast, make_case):
    make_case()
    client.force_login(cast.analyst)

    client.get("/cases/")

    assert not AccessRecord.objects.exists()


def test_status_form_offers_only_the_statuses_the_lifecycle_allows(client, cast, make_case):
    case = make_case()
    change_case_status(case, to="in_care", by=cast.caseworker)
    client.force_login(cast.caseworker)

    form = client.get(f"/cases/{case.code}/").context["status_form"]

    assert [value for value, _label in form.fields["to"].choices] == ["closure_requested"]


def test_a_status_the_lifecycle_does_not_allow_is_refused(client, cast, make_case):
    case = make_case()
    change_case_status(case, to="in_care", by=cast.caseworker)
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/status/", {"status-to": "closed"})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == Case.Status.IN_CARE


def test_changing_the_status_shows_on_the_timeline(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/status/",
        {"status-to": "closure_requested", "status-reason": "Back with her family."},
    )

    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Status changed" in html
    assert "From “Open” to “Closure requested”" in html
    assert "Back with her family." in html


def test_a_note_is_added_and_shown(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/notes/", {"note-body": "Met at the shelter."})

    assert response.status_code == 302
    assert CaseNote.objects.get().body == "Met at the shelter."
    assert "Met at the shelter." in client.get(f"/cases/{case.code}/").content.decode()


def test_an_empty_note_is_refused_with_a_message(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/notes/", {"note-body": "   "})

    assert response.status_code == 400
    assert response.context["note_form"].errors
    assert not CaseNote.objects.exists()


def test_supervisor_assigns_a_case_and_the_timeline_names_the_caseworker(client, cast, make_case):
    case = make_case()
    client.force_login(cast.supervisor)

    client.post(f"/cases/{case.code}/assign/", {"assign-to": cast.caseworker.code})

    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker
    html = client.get(f"/cases/{case.code}/").content.decode()
    assert "To Achieng Caseworker" in html


def test_caseworker_may_not_reassign_a_case(client, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    client.force_login(cast.caseworker)

    response = client.post(f"/cases/{case.code}/assign/", {"assign-to": cast.supervisor.code})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.assigned_to == cast.caseworker


def test_analyst_sees_no_forms_on_the_case_page(client, cast, make_case):
    case = make_case()
    client.force_login(cast.analyst)

    response = client.get(f"/cases/{case.code}/")

    assert "status_form" not in response.context
    assert f"/cases/{case.code}/edit/" not in response.content.decode()
