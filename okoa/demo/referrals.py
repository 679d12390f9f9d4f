"""The demo's service directory and referrals.

Every demo organisation lists a few invented services (contact numbers in the demo's artificial
block, 0700 000 19x, and ``.example`` addresses). Caseworkers of the main demo NGO record their
survivors' consent and refer five of them, through the real actions, so that each state of a
referral can be seen: waiting for an answer, accepted, completed, declined and withdrawn. Nothing
is overdue when the demo is loaded (the demo never moves time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.demo import data
from okoa.directory.actions import create_service
from okoa.directory.models import Service
from okoa.reference.models import County
from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    record_consent,
    send_referral,
    withdraw_referral,
)


@dataclass(frozen=True)
class DemoService:
    organisation: str  # reference prefix
    kind: str
    name: str
    description: str
    phone: str
    counties: tuple[int, ...] = ()  # official county codes; empty: nationwide
    min_age: int | None = None
    max_age: int | None = None
    sexes: tuple[str, ...] = ()
    capacity: int | None = None
    hours: str = "Monday to Friday 8:00-17:00"


SERVICES = (
    DemoService(
        "KSH",
        "shelter",
        "Kimbilio safe beds for women (demo)",
        "Short stays while a longer plan is made; meals, a nurse twice a week.",
        "0700 000 191",
        counties=(1, 2, 3),
        min_age=18,
        sexes=("female",),
        capacity=12,
        hours="Admissions at any time",
    ),
    DemoService(
        "PRH",
        "medical",
        "Pwani survivor health desk (demo)",
        "Medical screening, treatment and the P3 form for survivors referred by partners.",
        "0700 000 192",
        counties=(1, 3),
    ),
    DemoService(
        "MCR",
        "psychosocial",
        "Mwamba counselling circle (demo)",
        "Individual and group counselling in Kiswahili, English and Dholuo.",
        "0700 000 193",
        counties=(42, 47, 32),
        min_age=12,
    ),
    DemoService(
        "KMG",
        "repatriation",
        "Gulf liaison repatriation help (demo)",
        "Travel documents and return of Kenyan nationals stranded in the Gulf.",
        "0700 000 194",
    ),
    DemoService(
        "CST",
        "legal_aid",
        "Chemichemi legal clinic (demo)",
        "Advice before statements to the police and support through the court process.",
        "0700 000 195",
        counties=(47, 22),
    ),
)


@dataclass(frozen=True)
class DemoReferral:
    survivor: str  # "given family" of a demo survivor of the main NGO
    to: str  # reference prefix
    service: str  # DemoService.name
    urgency: str
    sections: tuple[str, ...]
    reason: str
    answers: tuple[tuple[str, dict[str, Any]], ...] = field(default=())


REFERRALS = (
    DemoReferral(
        "Kevin Barasa",
        "MCR",
        "Mwamba counselling circle (demo)",
        "normal",
        ("basic", "contact"),
        "Has nightmares since the compound and asked for counselling near his family in Kisumu.",
    ),
    DemoReferral(
        "Faith Gitau",
        "KSH",
        "Kimbilio safe beds for women (demo)",
        "urgent",
        ("basic", "shelter_needs"),
        "Her former recruiter knows where she rents a room; she needs a safe bed this week.",
        (("accept", {}),),
    ),
    DemoReferral(
        "Brian Langat",
        "PRH",
        "Pwani survivor health desk (demo)",
        "normal",
        ("basic", "needs"),
        "Medical check and a P3 form for the police report.",
        (("accept", {}), ("complete", {"outcome": "service_provided", "note": "Seen twice."})),
    ),
    DemoReferral(
        "Ronald Ssebunya",
        "KMG",
        "Gulf liaison repatriation help (demo)",
        "normal",
        ("basic",),
        "Asks for help with travel documents.",
        (
            (
                "decline",
                {
                    "reason": "not_eligible",
                    "note": "We assist Kenyan nationals; his own country's mission is the one.",
                },
            ),
        ),
    ),
    DemoReferral(
        "Linet Okoth",
        "PRH",
        "Pwani survivor health desk (demo)",
        "normal",
        ("basic",),
        "Follow-up medical check.",
        (("withdraw", {"reason": "She moved back to Kisumu and will be seen there."}),),
    ),
)

# Who answers for each receiving organisation.
RECEIVERS = {
    "KSH": data.KSH_CASEWORKER,
    "PRH": data.PRH_SOCIAL_WORKER,
    "MCR": data.MCR_CASEWORKER,
    "KMG": data.KMG_OFFICER,
}


def load_referrals_demo() -> None:
    """List the demo services, then record consent and send the demo referrals."""
    organisations = {
        organisation.reference_prefix: organisation
        for organisation in Organisation.objects.filter(
            reference_prefix__in=[item.reference_prefix for item in data.ORGANISATIONS]
        )
    }
    counties = County.objects.in_bulk(field_name="code")
    services = {item.name: _service(item, organisations, counties) for item in SERVICES}
    users = {user.email: user for user in User.objects.filter(email__endswith=".example")}
    main = organisations[data.MAIN_NGO.reference_prefix]
    cases = {
        f"{case.person.given_name} {case.person.family_name}": case
        for case in Case.objects.filter(organisation=main).select_related("person")
    }
    sender = users[data.CST_CASEWORKER]
    for item in REFERRALS:
        _refer(item, cases[item.survivor], organisations, services, sender, users)


def _service(
    item: DemoService, organisations: dict[str, Organisation], counties: dict[Any, County]
) -> Service:
    return create_service(
        organisations[item.organisation],
        by=None,
        kind=item.kind,
        name=item.name,
        description=item.description,
        nationwide=not item.counties,
        counties=[counties[code] for code in item.counties],
        min_age=item.min_age,
        max_age=item.max_age,
        sexes=list(item.sexes),
        capacity=item.capacity,
        contact_phone=item.phone,
        contact_email=f"referrals@{item.organisation.lower()}.example",
        hours=item.hours,
    )


def _refer(
    item: DemoReferral,
    case: Case,
    organisations: dict[str, Organisation],
    services: dict[str, Service],
    sender: User,
    users: dict[str, User],
) -> None:
    to = organisations[item.to]
    record_consent(
        case,
        by=sender,
        given_by="survivor",
        given_on=timezone.localdate(),
        sections=list(item.sections),
        organisations=[to],
    )
    referral = send_referral(
        case,
        to_organisation=to,
        service=services[item.service],
        urgency=item.urgency,
        sections=item.sections,
        reason_note=item.reason,
        by=sender,
    )
    receiver = users[RECEIVERS[item.to]]
    for answer, values in item.answers:
        if answer == "accept":
            accept_referral(referral, by=receiver)
        elif answer == "complete":
            complete_referral(referral, by=receiver, **values)
        elif answer == "decline":
            decline_referral(referral, by=receiver, **values)
        elif answer == "withdraw":
            withdraw_referral(referral, by=sender, **values)
