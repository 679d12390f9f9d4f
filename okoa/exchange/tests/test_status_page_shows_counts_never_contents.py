"""The exchange page: site administrators see partners, counts, failures and refusals for the
whole installation; an organisation's administrators see their own organisation's messages;
nobody sees a body; everybody else gets a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from okoa.accounts.actions import create_user
from okoa.exchange import actions, delivery
from okoa.exchange.models import OutboundMessage, Partner, RemoteOrganisation
from okoa.exchange.tests.conftest import TEST_KIND, register_remote

DESK = {"code": "pwaniDesk000002", "name": "Kilifi Counter-Trafficking Desk", "kind": "police"}
BODY = {"shared": {"given_name": "Nafula", "family_name": "Wafula"}}


@pytest.fixture
def site_admin(db):
    return create_user(
        email="root@okoa.test", full_name="Site Administrator", password=None, is_site_admin=True
    )


@pytest.fixture
def traffic(cast, remote):
    """A directory received, a message from each organisation, one delivery failed, a refusal."""
    remote.post(remote.seal(kind="exchange.organisations", body={"organisations": [DESK]}))
    desk = RemoteOrganisation.objects.get().organisation
    Partner.objects.filter(pk=remote.partner.pk).update(base_url="http://127.0.0.1:1")
    ours = actions.send(kind=TEST_KIND, body=BODY, from_organisation=cast.ngo, to_organisation=desk)
    actions.send(kind=TEST_KIND, body=BODY, from_organisation=cast.partner, to_organisation=desk)
    delivery.deliver(ours.pk)
    remote.post(b"garbage")
    return ours


def test_site_administrators_see_the_whole_installation(client, site_admin, traffic):
    client.force_login(site_admin)
    response = client.get(reverse("exchange:status"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pwani Safe Passage" in page and "pwani-safe-passage" in page
    assert "tumaini-test" in page  # this installation and its fingerprint
    assert str(traffic.message_id) in page and "unreachable" in page
    assert "Not an envelope" in page  # the refusal
    assert reverse("exchange:ping", args=[traffic.partner.code]) in page
    for word in ("Nafula", "Wafula"):
        assert word not in page


def test_organisation_administrators_see_only_their_organisations_messages(client, cast, traffic):
    client.force_login(cast.admin)
    response = client.get(reverse("exchange:status"))
    assert response.status_code == 200
    overview = response.context["overview"]
    [row] = overview.partners
    assert row.waiting == 1  # Tumaini's failed message; Mwangaza's is not counted
    assert [message.message_id for message in overview.failures] == [traffic.message_id]
    assert overview.refused == []
    page = response.content.decode()
    assert "tumaini-test" not in page and "Not an envelope" not in page
    assert "exchange/partners/" not in page  # no ping button


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "analyst", "operator"])
def test_everybody_else_gets_a_404(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("exchange:status")).status_code == 404


def test_the_page_costs_the_same_queries_however_many_partners(
    client, site_admin, traffic, django_assert_max_num_queries
):
    for number in range(5):
        partner = register_remote(f"extra-partner-{number}", f"Extra Partner {number}").partner
        actions.send_to_partner(partner, kind=TEST_KIND, body={})
    client.force_login(site_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("exchange:status")).status_code == 200


def test_a_site_administrator_pings_a_partner(client, site_admin, remote, cast):
    client.force_login(site_admin)
    response = client.post(reverse("exchange:ping", args=[remote.partner.code]))
    assert response.status_code == 302
    assert OutboundMessage.objects.get().kind == "exchange.ping"
    client.force_login(cast.admin)
    assert client.post(reverse("exchange:ping", args=[remote.partner.code])).status_code == 404
    assert OutboundMessage.objects.count() == 1
