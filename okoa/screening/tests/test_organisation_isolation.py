"""Another organisation's screenings look exactly like ones that do not exist."""

import re

import pytest

from okoa.audit.models import AccessRecord
from okoa.screening.models import Screening

CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
MADE_UP_CODE = "Xq3mZr8KpLw2Vn7T"

PAGES = [
    "/cases/{case}/screening/new/",
    "/cases/{case}/screenings/",
    "/cases/{case}/screenings/{screening}/",
]


def fetch(client, url):
    response = client.get(url)
    return response.status_code, CSRF_TOKEN.sub(b"", response.content)


@pytest.mark.parametrize("page", PAGES)
def test_partner_caseworker_gets_the_same_404_as_for_a_made_up_code(
    client, cast, make_case, screen, page
):
    case = make_case()
    screening = screen(case, notes={"palermo_act:TARC": "Nafula was met in Eldoret"})
    client.force_login(cast.partner_caseworker)

    theirs = fetch(client, page.format(case=case.code, screening=screening.code))
    made_up = fetch(client, page.format(case=MADE_UP_CODE, screening=MADE_UP_CODE))

    assert theirs[0] == 404
    assert theirs == made_up
    assert b"Nafula" not in theirs[1]
    assert not AccessRecord.objects.exists()


def test_a_screening_is_not_found_under_another_case(client, cast, make_case, screen):
    screening = screen(make_case())
    other_case = make_case()
    client.force_login(cast.caseworker)

    response = client.get(f"/cases/{other_case.code}/screenings/{screening.code}/")

    assert response.status_code == 404


def test_partner_caseworker_can_neither_screen_nor_decide(client, cast, make_case, screen):
    case = make_case()
    screening = screen(case)
    client.force_login(cast.partner_caseworker)

    new = client.post(f"/cases/{case.code}/screening/new/", {"age_group": "adult"})
    decided = client.post(
        f"/cases/{case.code}/screenings/{screening.code}/decision/",
        {"decision": "presumed_victim"},
    )

    assert (new.status_code, decided.status_code) == (404, 404)
    assert Screening.objects.count() == 1
    screening.refresh_from_db()
    assert not screening.is_decided
