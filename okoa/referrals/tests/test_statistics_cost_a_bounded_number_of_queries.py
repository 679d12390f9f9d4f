"""The statistics page costs the same number of queries for 3 referrals as for 15."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .statistics_world import accept, build, refer

# Session, user, membership, unread notifications, referrals, organisation names; with room.
MAX_QUERIES = 8


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add(cast, world, number):
    for n in range(number):
        to = cast.partner if n % 2 else world.third
        by = cast.partner_caseworker if n % 2 else world.third_caseworker
        accept(refer(world.ngo_case, to, by=cast.caseworker, hours_ago=n + 1, kind="medical"), by)


def test_statistics_queries_do_not_grow_with_the_number_of_referrals(
    client, cast, make_case, django_assert_max_num_queries
):
    world = build(cast, make_case)
    client.force_login(world.secretary)
    add(cast, world, 3)
    with_three = queries_for(client, "/referrals/statistics/?scope=all")

    add(cast, world, 12)

    assert queries_for(client, "/referrals/statistics/?scope=all") == with_three
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/referrals/statistics/csv/?scope=all")
