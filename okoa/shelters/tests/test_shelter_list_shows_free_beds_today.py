"""The shelter list shows each shelter's beds, the people staying and the beds free today, for
the member's organisation only, in a fixed number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.shelters.actions import check_in, update_shelter


def test_the_list_counts_beds_taken_and_free(client, cast, make_case, make_shelter, add_dependant):
    roomy = make_shelter(name="Nyumba ya Amani", capacity=6, takes_families=True)
    full = make_shelter(name="Nyumba ya Faraja", capacity=1)
    make_shelter(name="Nyumba ya Zamani", capacity=3, is_active=False)
    case = make_case()
    check_in(case, shelter=roomy, people=[case.person, add_dependant(case)], by=cast.caseworker)
    other = make_case(given_name="Chebet")
    check_in(other, shelter=full, people=[other.person], by=cast.caseworker)
    make_shelter(name="Nyumba ya Jirani", organisation=cast.partner, by=cast.partner_caseworker)
    client.force_login(cast.caseworker)

    html = client.get("/shelters/").content.decode()

    assert "Nyumba ya Amani" in html and "Nyumba ya Faraja" in html
    assert "Nyumba ya Jirani" not in html
    assert "<dt>Beds free</dt><dd>4</dd>" in html
    assert "<dt>People staying</dt><dd>3</dd>" in html and "<dt>Beds</dt><dd>7</dd>" in html
    rows = html.split("<tbody>")[1].split("<tr>")[1:]
    amani = next(row for row in rows if "Nyumba ya Amani" in row)
    assert '"Beds">6<' in amani and '"Staying">2<' in amani and '"Free today">4<' in amani
    faraja = next(row for row in rows if "Nyumba ya Faraja" in row)
    assert "<strong>Full</strong>" in faraja
    zamani = next(row for row in rows if "Nyumba ya Zamani" in row)
    assert "closed for check-ins" in zamani


def test_an_analyst_sees_the_counts(client, cast, make_case, make_shelter):
    shelter = make_shelter(capacity=3)
    case = make_case()
    check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
    client.force_login(cast.analyst)

    html = client.get("/shelters/").content.decode()

    assert "<dt>Beds free</dt><dd>2</dd>" in html and "<dt>People staying</dt><dd>1</dd>" in html


def test_over_capacity_is_shown(client, cast, make_case, make_shelter):
    shelter = make_shelter(capacity=1)
    for name in ("Akinyi", "Chebet"):
        case = make_case(given_name=name)
        check_in(
            case,
            shelter=shelter,
            people=[case.person],
            by=cast.supervisor,
            over_capacity_reason="Night rescue",
        )
    client.force_login(cast.supervisor)

    assert "Full, 1 over capacity" in client.get("/shelters/").content.decode()


def test_the_list_takes_the_same_queries_for_one_shelter_or_many(
    client, cast, make_case, make_shelter, django_assert_num_queries
):
    client.force_login(cast.supervisor)
    make_shelter(name="Nyumba 0")
    client.get("/shelters/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get("/shelters/")
    for number in range(1, 8):
        shelter = make_shelter(name=f"Nyumba {number}")
        case = make_case(given_name=f"Akinyi{number}")
        check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)
        update_shelter(shelter, by=cast.supervisor, capacity=5)

    with django_assert_num_queries(len(one)):
        client.get("/shelters/")
