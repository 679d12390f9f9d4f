"""The reason a supervisor gave for returning a closure request is free text that may name
people: the caseworker's day shows it to members who see identities, to nobody else."""

from okoa.accounts.models import ROLE_CAPABILITIES, Capability, Membership
from okoa.care.actions import request_closure, return_closure

REASON = "Call Mzee Kiprotich in Eldoret again first"


def returned_case(cast, make_case):
    case = make_case(assigned_to=cast.caseworker)
    request_closure(case, reason="Plan completed", by=cast.caseworker)
    return_closure(case, reason=REASON, by=cast.supervisor)
    return case


def test_a_caseworker_who_sees_identities_reads_the_reason(read_panel, cast, make_case):
    case = returned_case(cast, make_case)

    panel = read_panel(cast.caseworker, "returned")

    assert case.reference in panel and REASON in panel


def test_without_the_identity_capability_the_line_has_no_reason(
    read_panel, cast, make_case, monkeypatch
):
    case = returned_case(cast, make_case)
    role = Membership.Role.CASEWORKER
    monkeypatch.setitem(
        ROLE_CAPABILITIES, role, ROLE_CAPABILITIES[role] - {Capability.VIEW_IDENTITIES}
    )

    panel = read_panel(cast.caseworker, "returned")

    assert case.reference in panel
    assert "Kiprotich" not in panel and "Eldoret" not in panel


def test_an_analyst_gets_no_day_to_read_it_on(client, cast, make_case):
    returned_case(cast, make_case)
    client.force_login(cast.analyst)

    response = client.get("/dashboard/")

    assert response.status_code == 403
    assert "Kiprotich" not in response.content.decode()
