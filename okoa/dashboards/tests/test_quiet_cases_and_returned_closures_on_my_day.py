"""The caseworker's day lists their open cases with nothing recorded for 30 days, and their
closure requests that a supervisor sent back (with the supervisor's reason)."""

from okoa.care.actions import request_closure, return_closure
from okoa.cases.actions import add_case_note


def test_a_case_with_no_activity_for_a_month_is_listed_until_something_is_recorded(
    read_panel, cast, make_case, move_back
):
    quiet = make_case(given_name="Akinyi", assigned_to=cast.caseworker)
    busy = make_case(given_name="Njeri", assigned_to=cast.caseworker)
    for case in (quiet, busy):
        move_back(case, 45)
    add_case_note(busy, body="Called the family.", by=cast.caseworker)

    panel = read_panel(cast.caseworker, "quiet")

    assert quiet.reference in panel and busy.reference not in panel
    assert f'href="/cases/{quiet.code}/"' in panel
    add_case_note(quiet, body="Visited at home.", by=cast.caseworker)
    assert quiet.reference not in read_panel(cast.caseworker, "quiet")


def test_a_returned_closure_request_comes_back_to_the_caseworker_who_sent_it(
    read_panel, cast, make_case
):
    case = make_case(assigned_to=cast.caseworker)
    request_closure(case, reason="Plan completed", by=cast.caseworker)
    return_closure(case, reason="Two follow-ups are still due", by=cast.supervisor)

    panel = read_panel(cast.caseworker, "returned")

    assert case.reference in panel
    assert "Returned by Baraka Supervisor" in panel
    assert "Two follow-ups are still due" in panel
    assert f'href="/cases/{case.code}/closure/"' in panel
    assert case.reference not in read_panel(cast.supervisor, "returned")


def test_a_returned_request_leaves_the_day_once_closure_is_asked_again(read_panel, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    request_closure(case, reason="Plan completed", by=cast.caseworker)
    return_closure(case, reason="Not yet", by=cast.supervisor)
    request_closure(case, reason="Both follow-ups done", by=cast.caseworker)

    assert case.reference not in read_panel(cast.caseworker, "returned")


def test_another_caseworkers_returned_request_is_not_on_my_day(read_panel, cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    request_closure(case, reason="Plan completed", by=cast.admin)
    return_closure(case, reason="Not yet", by=cast.supervisor)

    assert case.reference not in read_panel(cast.caseworker, "returned")
    assert case.reference in read_panel(cast.admin, "returned")
