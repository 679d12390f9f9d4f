"""The lists of referrals received and sent show the organisation's own referrals only, filter
by status, name no survivor, and cost the same number of queries for 3 referrals as for 30."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import PASSWORD
from okoa.accounts.actions import create_organisation, create_user
from okoa.referrals.actions import accept_referral


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_lists_cost_a_fixed_number_of_queries(client, cast, make_case, refer):
    lists = (
        (cast.caseworker, "/referrals/sent/"),
        (cast.partner_caseworker, "/referrals/received/"),
    )
    for _ in range(3):
        refer(make_case())
    with_three = {}
    for user, path in lists:
        client.force_login(user)
        with_three[path] = queries_for(client, path)

    for _ in range(27):
        refer(make_case())

    for user, path in lists:
        client.force_login(user)
        assert queries_for(client, path) == with_three[path]


def test_another_organisations_referrals_never_appear(client, cast, make_case, refer):
    third = create_organisation(
        name="Baraka Children's Home", kind="shelter", reference_prefix="BCH"
    )
    outsider = create_user(
        email="caseworker@baraka.test",
        full_name="Kendi Outsider",
        password=PASSWORD,
        organisation=third,
        role="caseworker",
    )
    referral = refer(make_case())
    client.force_login(outsider)

    for path in ("/referrals/received/", "/referrals/sent/"):
        assert referral.code not in client.get(path).content.decode()
    for path in ("", "accept/", "decline/", "complete/", "withdraw/"):
        method = client.get if not path else client.post
        assert method(f"/referrals/{referral.code}/{path}").status_code == 404


def test_lists_filter_by_status_and_show_no_names(client, cast, make_case, refer):
    waiting = refer(make_case(given_name="Nekesa"))
    accepted = refer(make_case(given_name="Atieno"))
    accept_referral(accepted, by=cast.partner_caseworker)
    client.force_login(cast.partner_caseworker)

    everything = client.get("/referrals/received/").content.decode()
    only_accepted = client.get("/referrals/received/?status=accepted").content.decode()

    assert waiting.code in everything and accepted.code in everything
    assert accepted.code in only_accepted and waiting.code not in only_accepted
    assert "Nekesa" not in everything and "Atieno" not in everything
    assert client.get("/referrals/received/?status=lost").status_code == 400


def test_the_senders_list_shows_its_case_references(client, cast, make_case, refer):
    case = make_case()
    refer(case)
    client.force_login(cast.caseworker)

    assert case.reference in client.get("/referrals/sent/").content.decode()
    client.force_login(cast.partner_caseworker)
    assert case.reference not in client.get("/referrals/received/").content.decode()
