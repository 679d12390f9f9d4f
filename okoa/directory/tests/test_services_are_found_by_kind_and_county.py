"""The directory search finds active services by kind and county (nationwide services in every
county), for any member of any organisation, at a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.directory.access import ServiceFilters, search_services
from okoa.directory.actions import create_service, set_service_active


def service(organisation, by, name, **values):
    values.setdefault("kind", "shelter")
    values.setdefault("contact_phone", "0700 000 160")
    return create_service(organisation, by=by, name=name, **values)


def test_search_by_kind_and_county(cast, places):
    mombasa_shelter = service(cast.ngo, cast.admin, "Pwani Safe House", counties=[places.mombasa])
    national_line = service(
        cast.ngo, cast.admin, "Legal Aid Line", kind="legal_aid", nationwide=True
    )
    nairobi_clinic = service(
        cast.ngo, cast.admin, "Westlands Clinic", kind="medical", counties=[places.nairobi]
    )
    membership = cast.membership(cast.operator)

    def found(**filters):
        return {s.name for s in search_services(membership, ServiceFilters(**filters))}

    assert found() == {"Pwani Safe House", "Legal Aid Line", "Westlands Clinic"}
    assert found(county=places.mombasa.pk) == {mombasa_shelter.name, national_line.name}
    assert found(kind="medical") == {nairobi_clinic.name}
    assert found(kind="legal_aid", county=places.nairobi.pk) == {national_line.name}
    assert found(kind="shelter", county=places.nairobi.pk) == set()


def test_deactivated_services_leave_the_search(cast, places):
    listed = service(cast.ngo, cast.admin, "Pwani Safe House", counties=[places.mombasa])
    set_service_active(listed, active=False, by=cast.admin)

    assert search_services(cast.membership(cast.caseworker), ServiceFilters()) == []


def test_every_member_of_every_organisation_searches(client, cast, places):
    service(cast.ngo, cast.admin, "Pwani Safe House", counties=[places.mombasa])

    for user in (cast.operator, cast.analyst, cast.partner_caseworker):
        client.force_login(user)
        page = client.get(f"/directory/?kind=shelter&county={places.mombasa.pk}")
        assert page.status_code == 200
        assert "Pwani Safe House" in page.content.decode()


def test_the_search_costs_the_same_for_3_services_as_for_30(client, cast, places):
    client.force_login(cast.caseworker)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/directory/?kind=shelter").status_code == 200
        return len(captured)

    for number in range(3):
        service(
            cast.ngo, cast.admin, f"Shelter {number}", counties=[places.mombasa, places.nairobi]
        )
    with_three = queries()
    for number in range(3, 30):
        service(cast.ngo, cast.admin, f"Shelter {number}", counties=[places.mombasa])

    assert queries() == with_three
