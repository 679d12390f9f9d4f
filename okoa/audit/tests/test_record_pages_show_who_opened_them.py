import pytest
from django.urls import reverse

from okoa.cases.actions import open_case
from okoa.people.actions import create_person


@pytest.fixture
def case(cast):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Mumbua", family_name="Kioko")
    return open_case(person, by=cast.caseworker)


def test_the_case_page_lists_earlier_readers(client, cast, case):
    client.force_login(cast.supervisor)
    client.get(reverse("cases:detail", args=[case.code]))
    client.force_login(cast.caseworker)
    page = client.get(reverse("cases:detail", args=[case.code])).content.decode()
    assert "Who opened and changed this file" in page
    assert cast.supervisor.full_name in page


def test_the_person_page_lists_changes_by_field_name(client, cast, case):
    client.force_login(cast.caseworker)
    page = client.get(reverse("people:detail", args=[case.person.code])).content.decode()
    assert "created" in page
    assert "given name" in page
