import pytest
from django.test import Client


@pytest.mark.parametrize("suffix", ["", "edit/", "import/", "print/", "partners/new/"])
def test_another_organisation_gets_the_same_404_as_a_missing_operation(cast, operation, suffix):
    client = Client()
    client.force_login(cast.partner_caseworker)

    theirs = client.get(f"/operations/{operation.code}/{suffix}")
    missing = client.get(f"/operations/no-such-operation/{suffix}")

    assert theirs.status_code == missing.status_code == 404


def test_another_organisation_does_not_see_the_operation_in_its_list(cast, operation):
    client = Client()
    client.force_login(cast.partner_caseworker)

    assert operation.name not in client.get("/operations/").content.decode()
