"""A caller who rang before is recognised by their number through the blind index, however the
number was written, and only within the organisation."""

import datetime

from django.utils import timezone

from okoa.intake.actions import log_hotline_call


def call(cast, phone, *, minutes_ago=0, organisation=None, by=None, category="follow_up"):
    return log_hotline_call(
        organisation or cast.ngo,
        by=by or cast.operator,
        category=category,
        caller_phone=phone,
        started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_the_call_page_says_how_many_earlier_calls_came_from_the_number(client, cast):
    call(cast, "0712 345 678", minutes_ago=300)
    call(cast, "+254 712 345 678", minutes_ago=200, category="silent")
    call(cast, "0799 999 999", minutes_ago=100)
    latest = call(cast, "254712345678")
    client.force_login(cast.operator)

    response = client.get(f"/intake/calls/{latest.code}/")

    assert response.context["earlier_count"] == 2
    assert "Repeat caller: 2 earlier calls from this number." in response.content.decode()


def test_the_first_call_from_a_number_is_not_a_repeat(client, cast):
    first = call(cast, "0712 345 678")
    client.force_login(cast.operator)

    response = client.get(f"/intake/calls/{first.code}/")

    assert response.context["earlier_count"] == 0
    assert "Repeat caller" not in response.content.decode()


def test_calls_to_another_organisation_do_not_count(client, cast):
    call(
        cast, "0712 345 678", minutes_ago=60, organisation=cast.partner, by=cast.partner_caseworker
    )
    latest = call(cast, "0712 345 678")
    client.force_login(cast.operator)

    assert client.get(f"/intake/calls/{latest.code}/").context["earlier_count"] == 0


def test_the_same_number_has_different_tokens_in_different_organisations(cast):
    ours = call(cast, "0712 345 678")
    theirs = call(cast, "0712 345 678", organisation=cast.partner, by=cast.partner_caseworker)

    assert ours.caller_phone_token != theirs.caller_phone_token


def test_reports_carrying_the_number_are_listed_on_the_call(client, cast, make_report):
    report = make_report(subject_phone_numbers=["+254 712 345 678"]).report
    latest = call(cast, "0712345678")
    client.force_login(cast.operator)

    response = client.get(f"/intake/calls/{latest.code}/")

    assert response.context["reports_from_number"] == [report]
