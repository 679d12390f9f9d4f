"""The admin shows reference data for reading and searching, never for editing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from okoa.reference.models import County

pytestmark = pytest.mark.django_db

MODELS = ["country", "county", "subcounty", "codelistitem"]


@pytest.fixture
def site_admin_client(client):
    site_admin = get_user_model().objects.create_superuser(
        "site-admin@okoa.test", "correct horse battery staple 42", full_name="Site Administrator"
    )
    client.force_login(site_admin)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_site_admin_can_list_and_search_reference_data(site_admin_client, model):
    url = reverse(f"admin:reference_{model}_changelist")
    response = site_admin_client.get(url, {"q": "Ke"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_site_admin_cannot_add_reference_data(site_admin_client, model):
    response = site_admin_client.get(reverse(f"admin:reference_{model}_add"))
    assert response.status_code == 403


def test_a_county_page_is_read_only(site_admin_client):
    mombasa = County.objects.get(code=1)
    response = site_admin_client.get(reverse("admin:reference_county_change", args=[mombasa.pk]))
    assert response.status_code == 200
    assert b'name="name"' not in response.content
