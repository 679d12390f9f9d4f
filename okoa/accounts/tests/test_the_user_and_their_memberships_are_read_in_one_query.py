"""Every signed-in page reads the user with their memberships and organisations in one query
(accounts/backends.py), not the user and then the membership."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.accounts.actions import add_member
from okoa.accounts.models import Membership


def account_reads(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [
        query["sql"]
        for query in queries
        if 'FROM "accounts_user"' in query["sql"] or 'FROM "accounts_membership"' in query["sql"]
    ]


def test_a_member_of_two_organisations_is_read_with_both_in_one_query(client, cast):
    add_member(cast.partner, user=cast.caseworker, role=Membership.Role.SUPERVISOR)
    client.force_login(cast.caseworker)

    response, reads = account_reads(client, "/accounts/organisation/")

    assert len(reads) == 1
    page = response.content.decode()
    assert cast.ngo.name in page and cast.partner.name in page


def test_the_case_list_reads_the_account_once(client, cast):
    client.force_login(cast.caseworker)

    _response, reads = account_reads(client, "/cases/")

    assert len(reads) == 1
