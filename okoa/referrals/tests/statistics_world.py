"""Referrals for the statistics tests, made through the referral actions.

``cast.ngo`` refers to ``cast.partner`` and to a third organisation; ``cast.partner`` refers to
``cast.ngo``; a secretariat has a supervisor and an analyst. Times to acceptance are set by
sending a referral some hours ago (``send_referral(now=...)``) and accepting it now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from okoa.accounts.actions import create_organisation, create_user
from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    record_consent,
    send_referral,
    withdraw_referral,
)
from okoa.referrals.models import Referral


@dataclass
class World:
    third: Organisation
    secretariat: Organisation
    secretary: User
    secretariat_analyst: User
    third_caseworker: User
    ngo_case: Case
    partner_case: Case


def build(cast, make_case) -> World:
    third = create_organisation(name="Upendo Legal Aid Clinic", kind="ngo", reference_prefix="UPE")
    secretariat = create_organisation(
        name="Invented Counter-Trafficking Secretariat",
        kind="ctip_secretariat",
        reference_prefix="SEC",
    )
    password = "correct horse battery staple 42"

    def member(email: str, name: str, organisation: Organisation, role: str) -> User:
        return create_user(
            email=email, full_name=name, password=password, organisation=organisation, role=role
        )

    world = World(
        third=third,
        secretariat=secretariat,
        secretary=member("secretary@sec.test", "Gathoni Secretary", secretariat, "supervisor"),
        secretariat_analyst=member(
            "analyst@sec.test", "Halima Analyst", secretariat, "data_analyst"
        ),
        third_caseworker=member("caseworker@upendo.test", "Imani Clinic", third, "caseworker"),
        ngo_case=make_case(given_name="Nafula", family_name="Wekesa"),
        partner_case=make_case(
            organisation=cast.partner,
            by=cast.partner_caseworker,
            given_name="Kerubo",
            family_name="Njeri",
        ),
    )
    for case, by in (
        (world.ngo_case, cast.caseworker),
        (world.partner_case, cast.partner_caseworker),
    ):
        record_consent(
            case,
            by=by,
            given_by="survivor",
            given_on=timezone.localdate(),
            sections=["basic"],
            any_organisation=True,
        )
    return world


def refer(case: Case, to: Organisation, *, by: User, hours_ago: float = 1, kind: str = "shelter"):
    return send_referral(
        case,
        to_organisation=to,
        by=by,
        reason_note="Needs a safe bed and counselling.",
        service_kind=kind,
        now=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


def accept(referral: Referral, by: User) -> Referral:
    return accept_referral(referral, by=by)


def complete(referral: Referral, by: User) -> Referral:
    return complete_referral(accept_referral(referral, by=by), outcome="service_provided", by=by)


def decline(referral: Referral, by: User, reason: str = "no_capacity") -> Referral:
    return decline_referral(referral, reason=reason, by=by)


def withdraw(referral: Referral, by: User) -> Referral:
    return withdraw_referral(referral, reason="The survivor moved away.", by=by)
