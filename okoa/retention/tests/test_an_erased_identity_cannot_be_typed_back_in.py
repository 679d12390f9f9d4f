import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from okoa.people.actions import update_person
from okoa.retention.actions import approve_erasure, request_erasure


@pytest.fixture
def erased(cast, make_case):
    case = make_case(given_name="Naserian", family_name="Lemayian")
    request = request_erasure(case.person, reason="The survivor asked for it", by=cast.caseworker)
    approve_erasure(request, by=cast.supervisor)
    case.person.refresh_from_db()
    return case.person


def test_editing_an_erased_person_is_refused(cast, erased):
    with pytest.raises(ValidationError, match="erased"):
        update_person(erased, by=cast.caseworker, given_name="Naserian")
    erased.refresh_from_db()
    assert erased.given_name == ""


def test_the_person_page_offers_no_edit_once_erased(client, cast, erased):
    client.force_login(cast.caseworker)
    page = client.get(reverse("people:detail", args=[erased.code])).content.decode()
    assert reverse("people:edit", args=[erased.code]) not in page
    assert "Identity erased on" in page
