"""Build the demo described in ``okoa/demo/data.py`` through Okoa's real actions.

Contract: ``load_demo`` creates every organisation, login, person and case in one transaction, or
nothing; it is idempotent (a demo that is already loaded is left exactly as it is); and it never
bypasses an action, so the demo carries the same events, change records and search tokens as
real work. The only shortcut is the password: it is hashed once and the hash reused, because
hashing it for every login would take most of the run.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from okoa.accounts.actions import create_organisation, create_user
from okoa.accounts.models import Organisation, User
from okoa.cases.actions import add_case_note, assign_case, change_case_status, open_case
from okoa.cases.models import Case
from okoa.demo import data
from okoa.demo.dashboards import load_dashboards_demo
from okoa.demo.exchange import load_exchange_demo
from okoa.demo.notifications import load_notifications_demo
from okoa.demo.referrals import load_referrals_demo
from okoa.demo.shelters import load_shelters_demo
from okoa.intake.actions import set_intake_route
from okoa.intake.models import PUBLIC_CHANNELS
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.reference.models import CodeList, CodeListItem, Country, County, SubCounty

# The statuses a case passes through, after "open", to reach each status.
STATUS_PATHS: dict[str, tuple[str, ...]] = {
    data.OPEN: (),
    data.IN_CARE: (data.IN_CARE,),
    data.CLOSURE_REQUESTED: (data.IN_CARE, data.CLOSURE_REQUESTED),
    data.CLOSED: (data.IN_CARE, data.CLOSURE_REQUESTED, data.CLOSED),
}


class DemoDataError(Exception):
    """The demo cannot be loaded into this database (missing reference data, a clash...)."""


def demo_is_loaded() -> bool:
    """Whether the demo's main organisation exists (the demo is loaded all at once or not)."""
    main = Organisation.objects.filter(reference_prefix=data.MAIN_NGO.reference_prefix).first()
    if main is None:
        return False
    if main.name != data.MAIN_NGO.name:
        raise DemoDataError(
            f"The reference prefix {main.reference_prefix} belongs to an organisation that is "
            "not part of the demo; the demo is meant for an empty development database."
        )
    return True


@transaction.atomic
def load_demo() -> bool:
    """Create the demo unless it is loaded already; return whether anything was created."""
    if demo_is_loaded():
        return False
    reference = _Reference()
    organisations = {
        organisation.reference_prefix: create_organisation(
            name=organisation.name,
            kind=organisation.kind,
            reference_prefix=organisation.reference_prefix,
        )
        for organisation in data.ORGANISATIONS
    }
    users = _create_logins(organisations)
    # Public reports (web form, SMS, USSD, email) reach the main demo NGO's hotline team.
    for channel in PUBLIC_CHANNELS:
        set_intake_route(
            channel, organisation=organisations[data.ORGANISATIONS[0].reference_prefix]
        )
    today = timezone.localdate()
    for group in data.GROUPS:
        for survivor in group.survivors:
            _create_survivor(group, survivor, organisations, users, reference, today)
    load_shelters_demo(organisations, users)
    load_dashboards_demo()
    load_exchange_demo()
    load_referrals_demo()
    load_notifications_demo()
    return True


def _create_logins(organisations: dict[str, Organisation]) -> dict[str, User]:
    hashed = make_password(data.DEMO_PASSWORD)
    users = {}
    for login in data.LOGINS:
        user = create_user(
            email=login.email,
            full_name=login.full_name,
            password=None,
            organisation=organisations[login.organisation] if login.organisation else None,
            role=login.role,
            preferred_language=login.preferred_language,
            is_site_admin=login.is_site_admin,
        )
        user.password = hashed
        user.save(update_fields=["password"])
        users[login.email] = user
    return users


def _create_survivor(
    group: data.Group,
    survivor: data.Survivor,
    organisations: dict[str, Organisation],
    users: dict[str, User],
    reference: _Reference,
    today: datetime.date,
) -> None:
    organisation = organisations[group.organisation]
    registered_by = users[group.registered_by]
    person = create_person(
        organisation,
        by=registered_by,
        **_age(survivor.age, survivor.birthday, today),
        given_name=survivor.given_name,
        other_names=list(survivor.other_names),
        family_name=survivor.family_name,
        sex=survivor.sex,
        nationality=reference.country(survivor.nationality),
        languages=list(survivor.languages),
        phone_numbers=[survivor.phone] if survivor.phone else [],
        passport_number=survivor.passport_number,
        county_of_origin=reference.county(survivor.county) if survivor.county else None,
        sub_county_of_origin=(
            reference.sub_county(survivor.sub_county) if survivor.sub_county else None
        ),
        disability=Person.Disability.NONE,
    )
    for dependant in survivor.dependants:
        create_person(
            organisation,
            by=registered_by,
            estimated_age=dependant.age,
            given_name=dependant.given_name,
            family_name=dependant.family_name,
            sex=dependant.sex,
            nationality=person.nationality,
            county_of_origin=person.county_of_origin,
            parent=person,
            relationship_to_parent=dependant.relationship,
        )
    caseworker = users[survivor.caseworker]
    case = open_case(
        person,
        by=registered_by,
        assigned_to=caseworker,
        **_case_details(group.story, survivor, reference, today),
    )
    approver = users.get(data.APPROVERS.get(group.organisation, ""), caseworker)
    if survivor.reassigned_to:
        caseworker = users[survivor.reassigned_to]
        assign_case(case, to=caseworker, by=approver)
    path = STATUS_PATHS[survivor.status]
    # Notes are written while the case is being worked on: after it is taken into care.
    for status in path[:1]:
        change_case_status(case, to=status, by=caseworker, reason=data.STATUS_REASONS[status])
    for body in survivor.notes:
        add_case_note(case, body=body, by=caseworker)
    for status in path[1:]:
        by = approver if status == Case.Status.CLOSED else caseworker
        change_case_status(case, to=status, by=by, reason=data.STATUS_REASONS[status])


def _age(age: int, birthday: tuple[int, int] | None, today: datetime.date) -> dict[str, Any]:
    """Return a date of birth that makes the person ``age`` today, or the estimated age."""
    if birthday is None:
        return {"estimated_age": age}
    month, day = birthday
    year = today.year - age - (1 if (month, day) > (today.month, today.day) else 0)
    return {"date_of_birth": datetime.date(year, month, day)}


def _case_details(
    story: data.Story, survivor: data.Survivor, reference: _Reference, today: datetime.date
) -> dict[str, Any]:
    def days_ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days + survivor.days_earlier)

    exploitation = (
        (survivor.country_of_exploitation,)
        if survivor.country_of_exploitation
        else story.countries_of_exploitation
    )
    countries_of_exploitation = [reference.country(code) for code in exploitation]
    return {
        "identified_on": days_ago(story.identified_days_ago),
        "scope": story.scope,
        "trafficking_status": reference.item(CodeList.TRAFFICKING_STATUS, story.trafficking_status),
        "countries_of_origin": [reference.country(survivor.nationality)],
        "countries_of_transit": [reference.country(code) for code in story.countries_of_transit],
        "countries_of_exploitation": countries_of_exploitation,
        "exploitation_types": [
            reference.item(CodeList.EXPLOITATION_TYPE, code) for code in story.exploitation_types
        ],
        "labour_industries": [
            reference.item(CodeList.LABOUR_INDUSTRY, code) for code in story.labour_industries
        ],
        "methods_of_control": [
            reference.item(CodeList.METHOD_OF_CONTROL, code) for code in story.methods_of_control
        ],
        "recruitment_type": reference.item(
            CodeList.RECRUITMENT_TYPE, survivor.recruitment_type or story.recruitment_type
        ),
        "recruited_on": days_ago(story.recruited_days_ago),
        "exploitation_began_on": days_ago(story.exploitation_began_days_ago),
        "exploitation_ended_on": days_ago(story.exploitation_ended_days_ago),
        "narrative": story.narrative.format(
            country=", ".join(country.name for country in countries_of_exploitation)
        ),
    }


class _Reference:
    """Reference data by code, read once; a missing code stops the demo with a clear error."""

    def __init__(self) -> None:
        self.countries = Country.objects.in_bulk(field_name="code")
        self.counties = County.objects.in_bulk(field_name="code")
        self.sub_counties = SubCounty.objects.in_bulk(field_name="code")
        self.items = {(item.list, item.code): item for item in CodeListItem.objects.all()}

    def country(self, code: str) -> Country:
        return self._get(self.countries, code, "country")

    def county(self, code: int) -> County:
        return self._get(self.counties, code, "county")

    def sub_county(self, code: int) -> SubCounty:
        return self._get(self.sub_counties, code, "sub-county")

    def item(self, code_list: str, code: str) -> CodeListItem:
        item = self.items.get((code_list, code))
        if item is None or not item.is_active:
            raise DemoDataError(
                f"The {code_list} code list has no active item {code!r}; "
                "run `manage.py migrate` (or `load_reference_data`) first."
            )
        return item

    @staticmethod
    def _get(rows: dict[Any, Any], code: Any, kind: str) -> Any:
        if code not in rows:
            raise DemoDataError(
                f"No {kind} with code {code!r}; run `manage.py migrate` "
                "(or `load_reference_data`) first."
            )
        return rows[code]
