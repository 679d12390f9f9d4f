"""The shapes the API reads and writes, and the functions that fill them from records.

Reference values travel as codes (see ``okoa/api/lookups.py``). Identity fields (names,
contacts, documents, the narrative) are filled only for members who may see identities; for
others they are ``null`` (people endpoints do not exist for them at all: 404).

Inputs forbid unknown fields, so a misspelt field name is an error rather than a silent no-op.
Updates (``PATCH``) change only the fields sent and carry the ``version`` the client read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator

from okoa.cases.models import Case
from okoa.directory.models import ServiceKind
from okoa.people.models import Person
from okoa.referrals.access import ExchangeState, ListedReferral, ReceiverReads, ReferralPage
from okoa.referrals.models import Referral, ReferralEvent
from okoa.referrals.snapshot import SharedSection

# Opaque codes of records (people, cases, users) and keyset cursors.
RecordCode = Annotated[str, StringConstraints(min_length=1, max_length=32)]
CountryCode = Annotated[str, StringConstraints(min_length=2, max_length=2)]
ItemCode = Annotated[str, StringConstraints(min_length=1, max_length=80)]
LanguageCode = Annotated[str, StringConstraints(min_length=2, max_length=16)]
NameText = Annotated[str, StringConstraints(max_length=200)]
ShortText = Annotated[str, StringConstraints(max_length=100)]
ReferenceCode = Annotated[int, Field(ge=1, le=9999)]

MAX_LIST_ITEMS = 30
MAX_NARRATIVE_LENGTH = 50_000


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# Errors -------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class SchemaErrorsOut(Schema):
    detail: list[dict[str, Any]]


READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: SchemaErrorsOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 400: FieldErrorsOut}
UPDATE_ERRORS: dict[int, type[Schema]] = {**WRITE_ERRORS, 409: ErrorOut}


class PageQuery(Schema):
    cursor: RecordCode | None = Field(
        None, description="The next_cursor of the previous page; omit it for the first page."
    )
    limit: int = Field(25, ge=1, le=100)


# People -------------------------------------------------------------------------------------


class PersonFields(Input):
    given_name: NameText = ""
    family_name: NameText = ""
    other_names: list[NameText] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    sex: Person.Sex = Person.Sex.UNKNOWN
    date_of_birth: datetime.date | None = None
    estimated_age: int | None = Field(
        None, ge=0, le=120, description="Age in years, when the date of birth is not known."
    )
    nationality: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    languages: list[LanguageCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    phone_numbers: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    national_id_number: ShortText = ""
    passport_number: ShortText = ""
    county_of_origin: ReferenceCode | None = Field(None, description="Kenyan county code.")
    sub_county_of_origin: ReferenceCode | None = Field(None, description="Sub-county code.")
    disability: Person.Disability = Person.Disability.UNKNOWN
    parent: RecordCode | None = Field(
        None, description="Code of the person this person depends on (for dependants)."
    )
    relationship_to_parent: Person.Relationship | None = None


class PersonIn(PersonFields):
    given_name: NameText


class PersonPatch(PersonFields):
    version: int = Field(ge=1, description="The version of the person the client last read.")


class PersonSearchIn(Input):
    query: str = Field(
        min_length=1,
        max_length=200,
        description="A name (typos allowed), phone or document number.",
    )
    limit: int = Field(10, ge=1, le=50)
    born: int | None = Field(
        None,
        ge=1900,
        le=2100,
        description="Year of birth (about): only people born within two years of it.",
    )
    county: int | None = Field(
        None, ge=1, le=47, description="County of origin (official code): only people from it."
    )


class CaseRefOut(Schema):
    code: str
    reference: str
    status: Case.Status


class PersonSummaryOut(Schema):
    code: str
    full_name: str
    sex: Person.Sex
    birth_year: int | None
    nationality: str | None
    county_of_origin: int | None


class PersonMatchOut(PersonSummaryOut):
    score: int


class PersonOut(Schema):
    code: str
    given_name: str
    family_name: str
    other_names: list[str]
    full_name: str
    sex: Person.Sex
    date_of_birth: datetime.date | None
    birth_year: int | None
    birth_year_is_estimated: bool
    nationality: str | None
    languages: list[str]
    phone_numbers: list[str]
    national_id_number: str
    passport_number: str
    county_of_origin: int | None
    sub_county_of_origin: int | None
    disability: Person.Disability
    parent: str | None
    relationship_to_parent: str
    cases: list[CaseRefOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int


class PersonPageOut(Schema):
    items: list[PersonSummaryOut]
    next_cursor: str | None


class PersonSearchOut(Schema):
    items: list[PersonMatchOut]


def person_summary(person: Person) -> dict[str, Any]:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_year": person.birth_year,
        "nationality": person.nationality.code if person.nationality else None,
        "county_of_origin": person.county_of_origin.code if person.county_of_origin else None,
    }


def person_detail(person: Person, cases: Iterable[Case]) -> dict[str, Any]:
    return {
        **person_summary(person),
        "given_name": person.given_name,
        "family_name": person.family_name,
        "other_names": list(person.other_names or []),
        "date_of_birth": person.date_of_birth,
        "birth_year_is_estimated": person.birth_year_is_estimated,
        "languages": list(person.languages or []),
        "phone_numbers": list(person.phone_numbers or []),
        "national_id_number": person.national_id_number,
        "passport_number": person.passport_number,
        "sub_county_of_origin": (
            person.sub_county_of_origin.code if person.sub_county_of_origin else None
        ),
        "disability": person.disability,
        "parent": person.parent.code if person.parent else None,
        "relationship_to_parent": person.relationship_to_parent,
        "cases": [
            {"code": case.code, "reference": case.reference, "status": case.status}
            for case in cases
        ],
        "created_at": person.created_at,
        "updated_at": person.updated_at,
        "version": person.version,
    }


# Cases --------------------------------------------------------------------------------------


class CaseListQuery(PageQuery):
    status: Case.Status | None = None
    county: ReferenceCode | None = Field(None, description="County of origin of the survivor.")
    sex: Person.Sex | None = Field(None, description="Sex of the survivor.")
    exploitation_type: ItemCode | None = Field(None, description="Code of the exploitation type.")
    assigned_to_me: bool = False


class CaseDetailsFields(Input):
    identified_on: datetime.date | None = None
    scope: Case.Scope = Case.Scope.UNKNOWN
    trafficking_status: ItemCode | None = Field(None, description="trafficking_status code.")
    countries_of_origin: list[CountryCode] = Field(default_factory=list, max_length=50)
    countries_of_transit: list[CountryCode] = Field(default_factory=list, max_length=50)
    countries_of_exploitation: list[CountryCode] = Field(default_factory=list, max_length=50)
    exploitation_types: list[ItemCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    labour_industries: list[ItemCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    methods_of_control: list[ItemCode] = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    recruitment_type: ItemCode | None = Field(None, description="recruitment_type code.")
    recruited_on: datetime.date | None = None
    exploitation_began_on: datetime.date | None = None
    exploitation_ended_on: datetime.date | None = None
    narrative: str = Field("", max_length=MAX_NARRATIVE_LENGTH)


class CaseIn(CaseDetailsFields):
    person: RecordCode | None = Field(None, description="Code of a person already recorded.")
    new_person: PersonIn | None = Field(
        None, description="A person to record together with the case (instead of person)."
    )
    assigned_to: RecordCode | None = Field(None, description="User code of the caseworker.")

    @model_validator(mode="after")
    def _one_person(self) -> CaseIn:
        if (self.person is None) == (self.new_person is None):
            raise ValueError(_("Give either person (a code) or new_person, not both."))
        return self


class CasePatch(CaseDetailsFields):
    version: int = Field(ge=1, description="The version of the case the client last read.")


class StatusChangeIn(Input):
    to: Case.Status
    reason: str = Field("", max_length=2000)


class StaffOut(Schema):
    code: str
    full_name: str


class PersonRefOut(Schema):
    code: str
    full_name: str


class SurvivorOut(Schema):
    """Attributes of the survivor that identify nobody on their own (shown to analysts)."""

    sex: Person.Sex
    county_of_origin: int | None


class CaseSummaryOut(Schema):
    code: str
    reference: str
    status: Case.Status
    person: PersonRefOut | None = Field(description="null for members who may not see identities.")
    survivor: SurvivorOut
    assigned_to: StaffOut | None
    exploitation_types: list[str]
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    updated_at: datetime.datetime
    version: int


class CaseOut(CaseSummaryOut):
    identified_on: datetime.date | None
    scope: Case.Scope
    trafficking_status: str | None
    countries_of_origin: list[str]
    countries_of_transit: list[str]
    countries_of_exploitation: list[str]
    labour_industries: list[str]
    methods_of_control: list[str]
    recruitment_type: str | None
    recruited_on: datetime.date | None
    exploitation_began_on: datetime.date | None
    exploitation_ended_on: datetime.date | None
    narrative: str | None = Field(description="null for members who may not see identities.")


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: str | None


def case_summary(case: Case, *, identities: bool) -> dict[str, Any]:
    """Describe a case for a list; ``identities`` decides whether the person is named."""
    person = case.person
    return {
        "code": case.code,
        "reference": case.reference,
        "status": case.status,
        "person": {"code": person.code, "full_name": person.full_name} if identities else None,
        "survivor": {
            "sex": person.sex,
            "county_of_origin": person.county_of_origin.code if person.county_of_origin else None,
        },
        "assigned_to": (
            {"code": case.assigned_to.code, "full_name": case.assigned_to.full_name}
            if case.assigned_to
            else None
        ),
        "exploitation_types": sorted(item.code for item in case.exploitation_types.all()),
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "updated_at": case.updated_at,
        "version": case.version,
    }


def case_detail(case: Case, *, identities: bool) -> dict[str, Any]:
    """Describe a case in full; ``identities`` decides whether the person and story show."""
    return {
        **case_summary(case, identities=identities),
        "identified_on": case.identified_on,
        "scope": case.scope,
        "trafficking_status": case.trafficking_status.code if case.trafficking_status else None,
        "countries_of_origin": sorted(c.code for c in case.countries_of_origin.all()),
        "countries_of_transit": sorted(c.code for c in case.countries_of_transit.all()),
        "countries_of_exploitation": sorted(c.code for c in case.countries_of_exploitation.all()),
        "labour_industries": sorted(item.code for item in case.labour_industries.all()),
        "methods_of_control": sorted(item.code for item in case.methods_of_control.all()),
        "recruitment_type": case.recruitment_type.code if case.recruitment_type else None,
        "recruited_on": case.recruited_on,
        "exploitation_began_on": case.exploitation_began_on,
        "exploitation_ended_on": case.exploitation_ended_on,
        "narrative": case.narrative if identities else None,
    }


# Referrals (read only) ----------------------------------------------------------------------


# Described inline rather than as components: the components are named after the enum's class,
# and ``Status`` is already the case's (a second one would silently replace it in the schema).
ReferralStatus = Annotated[
    Referral.Status, WithJsonSchema({"type": "string", "enum": list(Referral.Status.values)})
]
ReferralUrgency = Annotated[
    Referral.Urgency, WithJsonSchema({"type": "string", "enum": list(Referral.Urgency.values)})
]
DeclineReason = Annotated[
    Referral.DeclineReason,
    WithJsonSchema({"type": "string", "enum": list(Referral.DeclineReason.values)}),
]
ReferralOutcome = Annotated[
    Referral.Outcome, WithJsonSchema({"type": "string", "enum": list(Referral.Outcome.values)})
]
ServiceKindCode = Annotated[
    ServiceKind, WithJsonSchema({"type": "string", "enum": list(ServiceKind.values)})
]


class ReferralListQuery(PageQuery):
    direction: Literal["sent", "received"] | None = Field(
        None, description="Only the referrals the organisation sent, or only those it received."
    )
    status: ReferralStatus | None = None
    overdue: bool = Field(False, description="Only referrals past their answer deadline.")


class OrganisationRefOut(Schema):
    code: str
    name: str


class ServiceRefOut(Schema):
    code: str
    name: str


class CaseOfReferralOut(Schema):
    """The sender's own case (never shown to the receiver)."""

    code: str
    reference: str


class ReferralSummaryOut(Schema):
    code: str
    side: Literal["sender", "receiver"] = Field(
        description="Whether the member's organisation sent or received the referral."
    )
    status: ReferralStatus
    urgency: ReferralUrgency
    service_kind: ServiceKindCode
    from_organisation: OrganisationRefOut
    to_organisation: OrganisationRefOut
    service: ServiceRefOut | None = Field(description="null for a partner installation's.")
    case: CaseOfReferralOut | None = Field(description="The sender's case; null for the receiver.")
    sent_at: datetime.datetime
    respond_by: datetime.datetime = Field(description="When an answer is expected.")
    overdue: bool = Field(description="Still waiting for an answer after respond_by.")
    accepted_at: datetime.datetime | None
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    decline_reason: DeclineReason | None
    outcome: ReferralOutcome | None
    version: int


class ReferralPageOut(Schema):
    items: list[ReferralSummaryOut]
    next_cursor: str | None


class StaffContactOut(Schema):
    full_name: str
    email: str


class SharedLineOut(Schema):
    label: str
    value: str


class SharedSectionOut(Schema):
    name: str
    title: str
    lines: list[SharedLineOut]


class SharedDetailsOut(Schema):
    """What the sender shared: its reason and the sections copied when the referral was sent."""

    reason: str
    sections: list[SharedSectionOut]


class ReceiverReadsOut(Schema):
    count: int
    last_at: datetime.datetime | None


class InstallationOut(Schema):
    """The partner installation a referral went to or came from."""

    name: str
    direction: Literal["sent", "received"]
    delivered: bool = Field(description="Sent: whether the partner acknowledged it.")


class ReferralEventOut(Schema):
    status: ReferralStatus
    at: datetime.datetime
    organisation: str
    by: str | None = Field(description="Who acted; null for a move from another installation.")
    through_exchange: bool


class ReferralOut(ReferralSummaryOut):
    sent_by: StaffContactOut | None
    decline_note: str
    outcome_note: str
    withdraw_reason: str | None = Field(description="Shown to the sender only; null otherwise.")
    shared: SharedDetailsOut | None = Field(
        description=(
            "For the sender always; for the receiver only while the referral is open (sent or "
            "accepted), and null once it is closed."
        )
    )
    receiver_reads: ReceiverReadsOut | None = Field(
        description="For the sender: how often the receiver opened it. null for the receiver."
    )
    installation: InstallationOut | None = Field(description="null for a local referral.")
    history: list[ReferralEventOut]


def referral_summary(listed: ListedReferral) -> dict[str, Any]:
    """Describe a referral for a list: metadata only, never a name or a note."""
    referral = listed.referral
    return {
        "code": referral.code,
        "side": listed.side,
        "status": referral.status,
        "urgency": referral.urgency,
        "service_kind": referral.service_kind,
        "from_organisation": _organisation(referral.from_organisation),
        "to_organisation": _organisation(referral.to_organisation),
        "service": (
            {"code": referral.service.code, "name": referral.service.name}
            if referral.service
            else None
        ),
        "case": (
            {"code": listed.case.code, "reference": listed.case.reference} if listed.case else None
        ),
        "sent_at": referral.sent_at,
        "respond_by": referral.respond_by,
        "overdue": referral.is_overdue(),
        "accepted_at": referral.accepted_at,
        "answered_at": referral.answered_at,
        "closed_at": referral.closed_at,
        "decline_reason": referral.decline_reason or None,
        "outcome": referral.outcome or None,
        "version": referral.version,
    }


def referral_detail(
    page: ReferralPage,
    *,
    sections: list[SharedSection],
    events: list[ReferralEvent],
    reads: ReceiverReads | None,
    exchange: ExchangeState | None,
) -> dict[str, Any]:
    """Describe a referral as its page shows it to the member's side (``ReferralPage``)."""
    referral = page.referral
    case = referral.case if page.is_sender else None
    return {
        **referral_summary(ListedReferral(referral, page.side, case)),
        "sent_by": (
            {"full_name": referral.sent_by.full_name, "email": referral.sent_by.email}
            if referral.sent_by
            else None
        ),
        "decline_note": referral.decline_note,
        "outcome_note": referral.outcome_note,
        "withdraw_reason": referral.withdraw_reason if page.is_sender else None,
        "shared": (
            {
                "reason": referral.reason_note,
                "sections": [
                    {
                        "name": section.name,
                        "title": section.title,
                        "lines": [
                            {"label": label, "value": value} for label, value in section.lines
                        ],
                    }
                    for section in sections
                ],
            }
            if page.shows_details
            else None
        ),
        "receiver_reads": (
            {"count": reads.count, "last_at": reads.last_at} if reads is not None else None
        ),
        "installation": (
            {
                "name": exchange.partner_name,
                "direction": "sent" if exchange.is_sent else "received",
                "delivered": exchange.delivered,
            }
            if exchange is not None
            else None
        ),
        "history": [
            {
                "status": event.status,
                "at": event.at,
                "organisation": event.organisation.name,
                "by": event.by.full_name if event.by else None,
                "through_exchange": bool(event.data.get("installation")),
            }
            for event in events
        ],
    }


def _organisation(organisation: Any) -> dict[str, str]:
    return {"code": organisation.code, "name": organisation.name}


# The exchange inbox -------------------------------------------------------------------------

Base64Text = Annotated[str, StringConstraints(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")]


class ExchangeEnvelopeIn(Schema):
    """One signed, encrypted message from a partner installation (format ``okoa-exchange-1``).

    The body of the request is exactly these four fields; the receiver reads the raw bytes and
    checks the signature itself (docs/exchange.md), so a request that is not such an envelope
    is refused with 400 and recorded, never answered with a validation error.
    """

    model_config = ConfigDict(extra="forbid", title="ExchangeEnvelope")

    format: Literal["okoa-exchange-1"]
    header: Base64Text = Field(
        description=(
            "URL-safe base64 without padding of the header's exact UTF-8 JSON bytes, an object "
            "of strings: format, message_id (UUID), kind, sender and recipient (installation "
            "ids), created_at and sent_at (UTC, ISO 8601 ending in Z), from_organisation and "
            "to_organisation (organisation codes, empty between installations), in_reply_to "
            "(a message id or empty), ephemeral_key (X25519, 32 bytes) and nonce (12 bytes), "
            "both base64 like this field."
        )
    )
    ciphertext: Base64Text = Field(
        description=(
            "The body (a JSON object) sealed with AES-256-GCM under HKDF-SHA256 of the X25519 "
            "exchange between ephemeral_key and the recipient's public key; associated data: "
            "the header bytes."
        )
    )
    signature: Base64Text = Field(
        description=(
            "Ed25519 by the sender's signing key over 'okoa-exchange-1 envelope', a zero byte, "
            "the header's length (4 bytes, big endian), the header bytes and the ciphertext."
        )
    )


class ExchangeAcknowledgementOut(Schema):
    """The receiver's signed acknowledgement: the message arrived (now, or on an earlier try)."""

    status: Literal["accepted"]
    message_id: str
    signature: str = Field(
        description=(
            "Ed25519 by the receiver's signing key over 'okoa-exchange-1 acknowledgement', a "
            "zero byte and '<message id>\\0<sender id>\\0<recipient id>'; URL-safe base64."
        )
    )


RefusalReason = Literal[
    "wrong_recipient",
    "stale",
    "conflict",
    "undecryptable",
    "unknown_kind",
    "unknown_organisation",
    "invalid_body",
]


class ExchangeRefusalOut(Schema):
    """A refusal, recorded on the receiver; final for this attempt (the sender retries later)."""

    status: Literal["rejected"]
    reason: RefusalReason | None = Field(
        None,
        description=(
            "Given only to a sender whose signature verified; absent for a malformed envelope, "
            "an unknown or inactive sender and a bad signature."
        ),
    )


class ExchangeRetryOut(Schema):
    """The message could not be processed now (nothing was kept): send it again later."""

    status: Literal["error"]
    message_id: str
    retry: Literal[True]


EXCHANGE_ANSWERS: dict[int, type[Schema]] = {
    200: ExchangeAcknowledgementOut,
    400: ExchangeRefusalOut,
    403: ExchangeRefusalOut,
    404: ExchangeRefusalOut,
    409: ExchangeRefusalOut,
    422: ExchangeRefusalOut,
    503: ExchangeRetryOut,
}
