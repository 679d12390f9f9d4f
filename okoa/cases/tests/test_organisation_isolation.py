"""Another organisation's case or person looks exactly like one that does not exist."""

import re

import pytest

from okoa.audit.models import AccessRecord
from okoa.cases.models import CaseNote

# The only part of a page that differs between two renders: the masked CSRF token.
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
MADE_UP_CODE = "Xq3mZr8KpLw2Vn7T"

PAGES = [
    "/cases/{case}/",
    "/cases/{case}/edit/",
    "/cases/new/{person}/",
    "/people/{person}/",
    "/people/{person}/edit/",
    "/people/{person}/dependants/new/",
]


def fetch(client, url):
    response = client.get(url)
    return response.status_code, CSRF_TOKEN.sub(b"", response.content)


@pytest.mark.parametrize("page", PAGES)
def test_partner_caseworker_gets_the_same_404_as_for_a_made_up_code(client, cast, make_case, page):
    case = make_case()
    client.force_login(cast.partner_caseworker)

    theirs = fetch(client, page.format(case=case.code, person=case.person.code))
    made_up = fetch(client, page.format(case=MADE_UP_CODE, person=MADE_UP_CODE))

    assert theirs[0] == 404
    assert theirs == made_up
    assert b"Zawadi" not in theirs[1]


def test_partner_caseworker_cannot_add_a_note_to_another_organisations_case(
    client, cast, make_case
):
    case = make_case()
    client.force_login(cast.partner_caseworker)

    response = client.post(f"/cases/{case.code}/notes/", {"note-body": "Taken over"})

    assert response.status_code == 404
    assert not CaseNote.objects.exists()


def test_a_refused_page_leaves_no_access_record(client, cast, make_case):
    case = make_case()
    client.force_login(cast.partner_caseworker)

    client.get(f"/cases/{case.code}/")

    assert not AccessRecord.objects.exists()
