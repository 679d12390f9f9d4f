"""The records and the members that the permission matrix tests every route with."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from okoa.accounts.actions import create_user, issue_api_token
from okoa.accounts.models import User
from okoa.care.actions import add_care_goal, add_care_service, start_reintegration
from okoa.cases.actions import open_case
from okoa.intake.actions import (
    create_report,
    log_hotline_call,
    open_group_incident,
    set_intake_route,
)
from okoa.intake.channels.email import Mailbox, import_email
from okoa.intake.models import Report
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
    care_goal = add_care_goal(
        case,
        by=cast.caseworker,
        area="education",
        description="Back to school",
        target_on=case.opened_at.date(),
    )
    received = create_report(
        cast.ngo,
        channel="hotline",
        by=cast.operator,
        narrative="Held in a compound",
        immediate_danger=True,
    )
    incident = open_group_incident(received.report, by=cast.caseworker, estimated_size=30)
    call = log_hotline_call(cast.ngo, by=cast.operator, category="trafficking_report")
    attachment = emailed_attachment(cast)
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
        "care_goal": care_goal.code,
        "report": received.report.code,
        "incident": incident.code,
        "call": call.code,
        "attachment": attachment,
        "erasure": erasure.code,
        **referral_records(cast, case),
        **shelter_and_stay(cast, case),
        "notification": notification_of_caseworker(cast),
        "partner_installation": partner_installation(),
    }
    return World(codes=codes, users=users, tokens=tokens)


def emailed_attachment(cast) -> str:
    """Import an email with a PDF for ``cast.ngo`` (no mail server: the message as fetched)."""
    from email.message import EmailMessage

    set_intake_route("email", organisation=cast.ngo)
    message = EmailMessage()
    message["From"] = "Wekesa Barasa <wekesa.barasa@example.test>"
    message["Message-ID"] = "<matrix-attachment@mail.example.test>"
    message.set_content("My cousin is held in a compound. Her statement is attached.")
    message.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf")
    mailbox = Mailbox(host="mail.tumaini.test", port=993, user="intake", password="-")
    import_email(message.as_bytes(), mailbox=mailbox, uid_validity=1, uid=1)
    return Report.objects.get(channel="email").attachments.get().code


def partner_installation() -> str:
    """Register another Okoa installation (keys made here; nothing is sent to it)."""
    import json

    from okoa.exchange.actions import add_partner
    from okoa.exchange.identity import build_identity, new_identity_values, parse_card

    values = new_identity_values()
    identity = build_identity(
        "matrix-partner", values["signing_key"], values["encryption_key"], "https://p.example"
    )
    card = parse_card(json.dumps(identity.card(name="Matrix Partner Installation")))
    return add_partner(card, by=None).code


def shelter_and_stay(cast, case) -> dict[str, str]:
    """A shelter of ``cast.ngo`` with the case's survivor staying in it."""
    from okoa.reference.models import County
    from okoa.shelters.actions import check_in, create_shelter

    shelter = create_shelter(
        cast.ngo,
        by=cast.supervisor,
        name="Matrix Safe House",
        county=County.objects.first(),
        capacity=4,
    )
    stay = check_in(case, shelter=shelter, people=[case.person], by=cast.caseworker)[0]
    return {"shelter": shelter.code, "shelter_stay": stay.code}


def notification_of_caseworker(cast) -> str:
    """A notification to ``cast.caseworker`` alone: only its recipient may mark it read."""
    from okoa.notifications.actions import notify_users
    from okoa.notifications.models import Notification

    notify_users([cast.caseworker], event="referral_accepted", reference="M1", path="/referrals/")
    return Notification.objects.filter(user=cast.caseworker, reference="M1").get().code


def referral_records(cast, case) -> dict[str, str]:
    """A directory service of ``cast.ngo``; the case's consent and its referral to ``partner``
    (so ``partner`` is the receiver of that referral: it sees the referral, never the case)."""
    from django.utils import timezone

    from okoa.directory.actions import create_service
    from okoa.referrals.actions import record_consent, send_referral

    service = create_service(
        cast.ngo,
        by=cast.admin,
        kind="shelter",
        name="Matrix Safe Beds",
        nationwide=True,
        contact_phone="+254 700 000 199",
    )
    consent = record_consent(
        case,
        by=cast.caseworker,
        given_by="survivor",
        given_on=timezone.localdate(),
        sections=["basic"],
        any_organisation=True,
    )
    referral = send_referral(
        case,
        to_organisation=cast.partner,
        by=cast.caseworker,
        service_kind="legal_aid",
        reason_note="Needs a lawyer for the hearing",
    )
    return {"service": service.code, "consent": consent.code, "referral": referral.code}
