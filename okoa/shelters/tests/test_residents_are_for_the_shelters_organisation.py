"""A shelter's residents are listed by name only to members of its organisation who see names;
each person listed leaves an access record. Another organisation gets the same 404 as for a
missing shelter; analysts see counts, never names."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.audit.models import AccessRecord
from okoa.shelters.actions import check_in, update_shelter


@pytest.fixture
def shelter_with_residents(cast, make_case, make_shelter, add_dependant):
    shelter = make_shelter(capacity=5, takes_families=True)
    update_shelter(shelter, by=cast.supervisor, address="Plot 14, behind the dispensary")
    case = make_case(given_name="Wanjiru", family_name="Kamau")
    child = add_dependant(case, given_name="Neema")
    stays = check_in(case, shelter=shelter, people=[case.person, child], by=cast.caseworker)
    return shelter, stays


def test_a_caseworker_sees_the_residents_and_each_read_is_recorded(
    client, cast, shelter_with_residents
):
    shelter, stays = shelter_with_residents
    client.force_login(cast.caseworker)

    html = client.get(f"/shelters/{shelter.code}/").content.decode()

    assert "Wanjiru Kamau" in html and "Neema Kamau" in html
    assert "Plot 14, behind the dispensary" in html
    assert stays[0].case.reference in html
    reads = AccessRecord.objects.filter(user=cast.caseworker, record_kind="person", channel="page")
    assert sorted(reads.values_list("record_code", flat=True)) == sorted(
        stay.person.code for stay in stays
    )


def test_an_analyst_sees_counts_but_no_name_address_or_read(client, cast, shelter_with_residents):
    shelter, _stays = shelter_with_residents
    client.force_login(cast.analyst)

    response = client.get(f"/shelters/{shelter.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Wanjiru" not in html and "Neema" not in html and "Plot 14" not in html
    assert "<dt>Everyone</dt><dd>2</dd>" in html and "<dt>Dependants</dt><dd>1</dd>" in html
    assert not AccessRecord.objects.filter(user=cast.analyst).exists()


@pytest.mark.parametrize("suffix", ["", "edit/", "occupancy/"])
def test_another_organisation_gets_the_same_404_as_a_missing_shelter(
    client, cast, shelter_with_residents, suffix
):
    shelter, _stays = shelter_with_residents
    client.force_login(cast.partner_caseworker)

    theirs = client.get(f"/shelters/{shelter.code}/{suffix}")
    missing = client.get(f"/shelters/no-such-shelter/{suffix}")

    assert theirs.status_code == missing.status_code == 404
    assert "Wanjiru" not in theirs.content.decode()


def test_another_organisation_cannot_check_anyone_out(client, cast, shelter_with_residents):
    _shelter, stays = shelter_with_residents
    client.force_login(cast.partner_caseworker)

    theirs = client.post(f"/shelters/stays/{stays[0].code}/check-out/", {"reason": "other"})
    missing = client.post("/shelters/stays/no-such-stay/check-out/", {"reason": "other"})

    assert theirs.status_code == missing.status_code == 404
    stays[0].refresh_from_db()
    assert stays[0].is_open


def test_the_resident_page_takes_the_same_queries_for_few_or_many(
    client, cast, make_case, make_shelter, django_assert_num_queries
):
    shelter = make_shelter(capacity=20)
    client.force_login(cast.caseworker)

    def add(name: str) -> None:
        case = make_case(given_name=name)
        check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)

    add("Akinyi")
    client.get(f"/shelters/{shelter.code}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/shelters/{shelter.code}/")
    for name in ("Chebet", "Wanjiru", "Nafula", "Adhiambo", "Jeptoo"):
        add(name)

    with django_assert_num_queries(len(few)):
        html = client.get(f"/shelters/{shelter.code}/").content.decode()
    assert html.count("/check-out/") == 6
