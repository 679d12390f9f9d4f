"""The records and the members that the permission matrix tests every route with."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from okoa.accounts.actions import create_user, issue_api_token
from okoa.accounts.models import User
from okoa.care.actions import add_care_service, start_reintegration
from okoa.cases.actions import open_case
from okoa.intake.actions import (
    create_report,
    log_hotline_call,
    open_group_incident,
)
from okoa.operations.actions import add_case_to_manifest, create_operation
from okoa.people.actions import create_person
from okoa.retention.actions import request_erasure
from okoa.screening.actions import record_screening

ROLES = (
    "anonymous",
    "operator",
    "caseworker",
    "supervisor",
    "admin",
    "analyst",
    "partner",
    "site_admin",
)


@dataclass
class World:
    codes: dict[str, str]
    users: dict[str, User]
    tokens: dict[str, str]

    def client(self, role: str) -> Client:
        """A fresh client signed in as ``role`` (an action like signing out cannot leak)."""
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


def build_world(cast) -> World:
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Chepkoech", family_name="Too")
    case = open_case(person, by=cast.caseworker, assigned_to=cast.caseworker)
    screening = record_screening(case, answers={}, by=cast.caseworker)
    care_service = add_care_service(
        case, by=cast.caseworker, beneficiary=person, kind="counselling", planned_count=4
    )
    follow_up = start_reintegration(case, started_on=case.opened_at.date(), by=cast.caseworker)[0]
    received = create_report(
        cast.ngo,
        channel="hotline",
        by=cast.operator,
        narrative="Held in a compound",
        immediate_danger=True,
    )
    incident = open_group_incident(received.report, by=cast.caseworker, estimated_size=30)
    call = log_hotline_call(cast.ngo, by=cast.operator, category="trafficking_report")
    erasure = request_erasure(person, reason="The survivor asked for it", by=cast.caseworker)
    operation = create_operation(cast.ngo, by=cast.caseworker, name="Compound rescue")
    add_case_to_manifest(operation, case=case, by=cast.caseworker)
    site_admin = create_user(
        email="root@okoa.test", full_name="Site Administrator", password=None, is_site_admin=True
    )
    users = {
        "operator": cast.operator,
        "caseworker": cast.caseworker,
        "supervisor": cast.supervisor,
        "admin": cast.admin,
        "analyst": cast.analyst,
        "partner": cast.partner_caseworker,
        "site_admin": site_admin,
    }
    tokens: dict[str, str] = {}
    for role, user in users.items():
        if role != "site_admin":
            tokens[role] = issue_api_token(cast.membership(user), name="matrix")[1]
    codes = {
        "case": case.code,
        "operation": operation.code,
        "person": person.code,
        "screening": screening.code,
        "care_service": care_service.code,
        "follow_up_visit": follow_up.code,
        "report": received.report.code,
        "incident": incident.code,
        "call": call.code,
        "erasure": erasure.code,
    }
    return World(codes=codes, users=users, tokens=tokens)
