"""A caseworker checks a survivor and her child in from the case page and out again; refused
input comes back with the error on its field and nothing saved; the form pages record reads."""

import datetime

from django.utils import timezone

from okoa.audit.models import AccessRecord
from okoa.shelters.actions import check_in
from okoa.shelters.models import ShelterStay


def moment(days_ago: float) -> str:
    return timezone.localtime(timezone.now() - datetime.timedelta(days=days_ago)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def test_the_case_page_leads_to_the_check_in_form(client, cast, make_case, make_shelter):
    case = make_case()
    make_shelter(name="Nyumba ya Amani", capacity=5)
    client.force_login(cast.caseworker)

    page = client.get(f"/cases/{case.code}/").content.decode()
    form = client.get(f"/shelters/check-in/{case.code}/").content.decode()

    assert f'href="/shelters/check-in/{case.code}/"' in page
    assert "Check in to a shelter" in page
    assert "Nyumba ya Amani (Mombasa): 5 of 5 beds free" in form
    assert "over capacity" not in form  # caseworkers are not offered the override
    reads = AccessRecord.objects.filter(user=cast.caseworker, record_code=case.person.code)
    assert reads.exists()


def test_check_in_and_out(client, cast, make_case, make_shelter, add_dependant):
    case = make_case(given_name="Wanjiru")
    child = add_dependant(case, given_name="Neema")
    shelter = make_shelter(capacity=5, takes_families=True)
    client.force_login(cast.caseworker)

    response = client.post(
        f"/shelters/check-in/{case.code}/",
        {
            "shelter": shelter.pk,
            "people": [case.person.pk, child.pk],
            "checked_in_at": moment(2),
            "expected_check_out_on": (timezone.localdate() + datetime.timedelta(days=60)),
        },
    )

    assert response.status_code == 302 and response["Location"] == f"/cases/{case.code}/"
    stays = list(ShelterStay.objects.filter(case=case).order_by("id"))
    assert [stay.person for stay in stays] == [case.person, child]
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert shelter.name in page and "Neema" in page
    survivor_stay = stays[0]
    form = client.get(f"/shelters/stays/{survivor_stay.code}/check-out/").content.decode()
    assert "Dependants staying with them" in form and "Neema" in form

    response = client.post(
        f"/shelters/stays/{survivor_stay.code}/check-out/",
        {"checked_out_at": moment(0), "reason": "reintegrated", "with_dependants": "on"},
    )

    assert response.status_code == 302
    assert not ShelterStay.objects.open().exists()
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert "Past stays" in page and "Reintegrated with family or community" in page


def test_refused_input_comes_back_on_its_field(client, cast, make_case, make_shelter):
    case = make_case()
    shelter = make_shelter(capacity=1)
    other = make_case(given_name="Chebet")
    check_in(other, shelter=shelter, people=[other.person], by=cast.caseworker)
    client.force_login(cast.caseworker)

    full = client.post(
        f"/shelters/check-in/{case.code}/",
        {"shelter": shelter.pk, "people": [case.person.pk], "checked_in_at": moment(0)},
    )
    future = client.post(
        f"/shelters/check-in/{case.code}/",
        {"shelter": shelter.pk, "people": [case.person.pk], "checked_in_at": moment(-1)},
    )

    assert full.status_code == future.status_code == 400
    assert "This shelter is full: 1 of 1 beds are taken" in full.content.decode()
    assert "This time is in the future." in future.content.decode()
    assert not ShelterStay.objects.filter(case=case).exists()


def test_a_supervisor_is_offered_the_override(client, cast, make_case, make_shelter):
    case = make_case()
    shelter = make_shelter(capacity=1)
    other = make_case(given_name="Chebet")
    check_in(other, shelter=shelter, people=[other.person], by=cast.caseworker)
    client.force_login(cast.supervisor)

    response = client.post(
        f"/shelters/check-in/{case.code}/",
        {
            "shelter": shelter.pk,
            "people": [case.person.pk],
            "checked_in_at": moment(0),
            "over_capacity_reason": "Rescued at night",
        },
    )

    assert response.status_code == 302
    assert ShelterStay.objects.get(case=case).over_capacity_by == cast.supervisor


def test_a_check_out_before_the_check_in_is_refused_on_the_page(
    client, cast, make_case, make_shelter
):
    case = make_case()
    stay = check_in(
        case,
        shelter=make_shelter(),
        people=[case.person],
        by=cast.caseworker,
        checked_in_at=timezone.now() - datetime.timedelta(days=1),
    )[0]
    client.force_login(cast.caseworker)

    response = client.post(
        f"/shelters/stays/{stay.code}/check-out/",
        {"checked_out_at": moment(3), "reason": "reintegrated"},
    )

    assert response.status_code == 400
    assert "A stay cannot end before it began" in response.content.decode()
    stay.refresh_from_db()
    assert stay.is_open


def test_an_analyst_cannot_check_in_and_sees_no_names_on_the_case_panel(
    client, cast, make_case, make_shelter, add_dependant
):
    case = make_case(given_name="Wanjiru")
    child = add_dependant(case, given_name="Neema")
    shelter = make_shelter(takes_families=True)
    check_in(case, shelter=shelter, people=[case.person, child], by=cast.caseworker)
    client.force_login(cast.analyst)

    assert client.get(f"/shelters/check-in/{case.code}/").status_code == 404
    page = client.get(f"/cases/{case.code}/").content.decode()
    assert shelter.name in page and "The survivor" in page and "Child" in page
    assert "Neema" not in page and "/check-out/" not in page
