"""A group report ("thirty others in the same compound") opens a group incident; people are added
to it over time, each with a person record and a case of their own, in one transaction each."""

import pytest
from django.core.exceptions import ValidationError

from okoa.cases.models import Case
from okoa.intake.actions import add_person_to_group_incident, open_group_incident
from okoa.intake.models import GroupIncident, GroupIncidentMember, Report
from okoa.people.models import Person


@pytest.fixture
def compound_report(make_report, countries):
    return make_report(
        narrative="Thirty other women are held in the same compound.",
        estimated_people=30,
        location_country=countries.saudi_arabia,
    ).report


def test_a_caseworker_opens_a_group_incident_from_the_report(client, cast, compound_report):
    client.force_login(cast.caseworker)

    form = client.get(f"/intake/reports/{compound_report.code}/groups/new/").context["form"]
    assert form.initial == {"estimated_size": 30, "country": "SA"}

    response = client.post(
        f"/intake/reports/{compound_report.code}/groups/new/",
        {"estimated_size": "30", "country": "SA", "location": "A compound near the port"},
    )

    incident = GroupIncident.objects.get()
    assert response["Location"] == f"/intake/groups/{incident.code}/"
    assert incident.report == compound_report
    assert incident.location == "A compound near the port"
    compound_report.refresh_from_db()
    assert compound_report.status == Report.Status.BEING_HANDLED


def test_people_are_added_over_time_each_with_their_own_case(client, cast, compound_report):
    incident = open_group_incident(compound_report, by=cast.caseworker, estimated_size=30)
    client.force_login(cast.caseworker)

    for name in ("Rehema", "Sanaipei"):
        response = client.post(
            f"/intake/groups/{incident.code}/people/new/",
            {
                "person-given_name": name,
                "person-sex": "female",
                "person-disability": "unknown",
                "case-scope": "transnational",
                "case-assigned_to": cast.caseworker.code,
            },
        )
        assert response.status_code == 302

    members = list(GroupIncidentMember.objects.select_related("case__person").order_by("id"))
    assert [member.case.person.given_name for member in members] == ["Rehema", "Sanaipei"]
    assert members[0].case != members[1].case
    assert compound_report.case_links.count() == 2
    page = client.get(f"/intake/groups/{incident.code}/")
    assert page.context["missing"] == 28
    assert "Sanaipei" in page.content.decode()


def test_a_person_who_cannot_be_recorded_leaves_no_case_and_no_member(cast, compound_report):
    incident = open_group_incident(compound_report, by=cast.caseworker, estimated_size=30)

    with pytest.raises(ValidationError):
        add_person_to_group_incident(incident, by=cast.caseworker, person_values={"given_name": ""})

    assert not Person.objects.exists()
    assert not Case.objects.exists()
    assert not GroupIncidentMember.objects.exists()


def test_a_group_needs_at_least_one_person(cast, compound_report):
    with pytest.raises(ValidationError):
        open_group_incident(compound_report, by=cast.caseworker, estimated_size=0)

    assert not GroupIncident.objects.exists()


def test_the_group_page_shows_names_only_to_roles_that_see_identities(
    client, cast, compound_report
):
    incident = open_group_incident(compound_report, by=cast.caseworker, estimated_size=30)
    add_person_to_group_incident(
        incident, by=cast.caseworker, person_values={"given_name": "Rehema"}
    )
    client.force_login(cast.operator)

    response = client.get(f"/intake/groups/{incident.code}/")

    assert response.status_code == 200
    assert "Rehema" not in response.content.decode()
    assert client.get(f"/intake/groups/{incident.code}/people/new/").status_code == 403
