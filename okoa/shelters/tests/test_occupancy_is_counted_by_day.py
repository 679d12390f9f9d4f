"""Occupancy on a day is counted from the stays: the people in the shelter at the end of it."""

import datetime

from django.utils import timezone

from okoa.shelters.access import occupancy_by_day
from okoa.shelters.actions import check_in, check_out


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_occupancy_follows_check_ins_and_check_outs(cast, make_case, make_shelter):
    shelter = make_shelter(capacity=5)
    today = timezone.localdate()
    day = [today - datetime.timedelta(days=10 - n) for n in range(11)]  # day[10] is today
    first, second = make_case(given_name="Akinyi"), make_case(given_name="Chebet")
    stay = check_in(
        first,
        shelter=shelter,
        people=[first.person],
        by=cast.caseworker,
        checked_in_at=at_noon(day[1]),
    )[0]
    check_in(
        second,
        shelter=shelter,
        people=[second.person],
        by=cast.caseworker,
        checked_in_at=at_noon(day[3]),
    )
    check_out(stay, by=cast.caseworker, reason="reintegrated", checked_out_at=at_noon(day[6]))

    counts = dict(occupancy_by_day(shelter, day[0], day[10]))

    assert [counts[d] for d in day] == [0, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1]


def test_the_occupancy_page_shows_a_month(client, cast, make_case, make_shelter):
    shelter = make_shelter(capacity=5)
    case = make_case()
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    check_in(
        case,
        shelter=shelter,
        people=[case.person],
        by=cast.caseworker,
        checked_in_at=at_noon(last_month + datetime.timedelta(days=9)),
    )
    client.force_login(cast.analyst)

    response = client.get(
        f"/shelters/{shelter.code}/occupancy/", {"month": last_month.strftime("%Y-%m")}
    )

    html = response.content.decode()
    assert response.status_code == 200
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == (timezone.localdate().replace(day=1) - last_month).days
    counts = [row.split('"People staying">')[1].split("<")[0] for row in rows]
    assert counts[:9] == ["0"] * 9 and set(counts[9:]) == {"1"}


def test_a_bad_month_is_refused_on_its_field(client, cast, make_shelter):
    shelter = make_shelter()
    client.force_login(cast.caseworker)

    response = client.get(f"/shelters/{shelter.code}/occupancy/", {"month": "next spring"})

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
