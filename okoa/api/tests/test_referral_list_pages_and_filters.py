"""The referral list pages by opaque cursor (every referral once, newest first, even several sent
at the same instant), filters by direction, status and lateness, names nobody, and costs the
same number of queries for a few referrals as for many."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from okoa.referrals.actions import accept_referral, record_consent, send_referral


def walk(api, limit, **filters):
    codes, cursor, pages = [], None, 0
    while True:
        params = {"limit": limit, **filters, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/referrals", **params).body
        codes += [item["code"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return codes, pages


def refer_back(cast, make_case, **values):
    """The partner refers one of its own cases to the NGO."""
    case = make_case(organisation=cast.partner, by=cast.partner_caseworker, given_name="Jepchumba")
    record_consent(
        case,
        by=cast.partner_caseworker,
        given_by="survivor",
        given_on=timezone.localdate(),
        sections=["basic"],
        any_organisation=True,
    )
    return send_referral(
        case,
        to_organisation=cast.ngo,
        by=cast.partner_caseworker,
        service_kind="medical",
        reason_note="Needs a clinic near Eldoret.",
        **values,
    )


def test_referrals_are_paged_newest_first_without_repeats(cast, api_as, make_case, refer):
    start = timezone.now() - datetime.timedelta(hours=1)
    # Three sent at the same instant: the id breaks the tie, so none is repeated or skipped.
    referrals = [refer(make_case(), now=start) for _ in range(3)]
    referrals += [refer(make_case(), now=start + datetime.timedelta(minutes=n)) for n in (1, 2)]
    expected = [referrals[i].code for i in (4, 3, 2, 1, 0)]
    assert walk(api_as(cast.caseworker), limit=2) == (expected, 3)
    assert walk(api_as(cast.partner_caseworker), limit=4) == (expected, 2)


def test_sent_and_received_are_listed_together_or_apart(cast, api_as, make_case, refer):
    sent = refer(make_case())
    received = refer_back(cast, make_case)
    api = api_as(cast.caseworker)
    everything = api.get("/api/referrals").body["items"]
    assert [(item["code"], item["side"]) for item in everything] == [
        (received.code, "receiver"),
        (sent.code, "sender"),
    ]
    assert walk(api, 10, direction="sent")[0] == [sent.code]
    assert walk(api, 10, direction="received")[0] == [received.code]


def test_only_the_sender_sees_its_case_reference_and_nobody_is_named(
    cast, api_as, make_case, refer
):
    case = make_case(given_name="Nekesa", family_name="Wafula")
    refer(case)
    refer_back(cast, make_case)
    for user in (cast.caseworker, cast.partner_caseworker):
        response = api_as(user).get("/api/referrals")
        for hidden in ("Nekesa", "Wafula", "Jepchumba", "safe bed", "Eldoret"):
            assert hidden not in response.text
        cases = {item["side"]: item["case"] for item in response.body["items"]}
        if user == cast.caseworker:
            assert cases["sender"] == {"code": case.code, "reference": case.reference}
            assert cases["receiver"] is None
        else:
            assert cases["receiver"] is None
            assert cases["sender"]["reference"].startswith(cast.partner.reference_prefix)


def test_filters_by_status_and_lateness(cast, api_as, make_case, refer):
    late = refer(make_case(), now=timezone.now() - datetime.timedelta(days=5))
    waiting = refer(make_case())
    accepted = refer(make_case())
    accept_referral(accepted, by=cast.partner_caseworker)
    api = api_as(cast.partner_caseworker)
    assert walk(api, 10, status="sent")[0] == [waiting.code, late.code]
    assert walk(api, 10, status="accepted")[0] == [accepted.code]
    assert walk(api, 10, overdue="true")[0] == [late.code]
    items = {item["code"]: item["overdue"] for item in api.get("/api/referrals").body["items"]}
    assert items == {late.code: True, waiting.code: False, accepted.code: False}


def test_bad_filters_and_cursors_are_refused(cast, api_as, make_case, refer):
    referral = refer(make_case())
    outsiders = refer_back(cast, make_case)
    api = api_as(cast.caseworker)
    assert api.get("/api/referrals", status="lost").status == 422
    assert api.get("/api/referrals", direction="sideways").status == 422
    assert api.get("/api/referrals", limit=101).status == 422
    unknown = api.get("/api/referrals", cursor="AAAAAAAAAAAAAAAA")
    assert unknown.status == 400 and list(unknown.body["errors"]) == ["cursor"]
    # A referral of the NGO's (sent or received) is a cursor; anything else is not.
    assert api.get("/api/referrals", cursor=outsiders.code).status == 200
    assert api_as(cast.admin).get("/api/referrals", cursor=referral.code).status == 200
    from okoa.accounts.actions import create_organisation, create_user

    third = create_organisation(
        name="Baraka Children's Home", kind="shelter", reference_prefix="BCH"
    )
    outsider = create_user(
        email="caseworker@baraka.test",
        full_name="Kendi Outsider",
        password=None,
        organisation=third,
        role="caseworker",
    )
    assert api_as(outsider).get("/api/referrals", cursor=referral.code).status == 400


def queries_for(api):
    with CaptureQueriesContext(connection) as context:
        response = api.get("/api/referrals", limit=100)
    assert response.status == 200
    return len(context), len(response.body["items"])


@pytest.mark.parametrize("side", ["sender", "receiver"])
def test_the_list_costs_the_same_queries_for_few_and_many(cast, api_as, make_case, refer, side):
    api = api_as(cast.caseworker if side == "sender" else cast.partner_caseworker)
    api.get("/api/referrals")  # the token's first use is recorded once
    for _ in range(3):
        refer(make_case())
    few, few_items = queries_for(api)
    for _ in range(12):
        refer(make_case())
    many, many_items = queries_for(api)
    assert (few_items, many_items) == (3, 15)
    assert few == many
