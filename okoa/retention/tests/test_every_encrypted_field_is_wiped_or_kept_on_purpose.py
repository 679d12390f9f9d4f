"""Every encrypted field of every Okoa app is either emptied by erasure or kept on purpose, with
the reason written here: a model or field added later, in any app, must be placed in one list or
the other before this test passes."""

from django.apps import apps
from django.db.models import Model

from okoa.accounts.models import AuthenticatorDevice, RecoveryCodeDevice
from okoa.audit.models import ExportRecord
from okoa.care.models import (
    BusinessPlan,
    CareGoal,
    CareService,
    Disbursement,
    FollowUpVisit,
    LegalProcess,
    NeedsAssessment,
)
from okoa.cases.models import Case, CaseEvent, CaseNote
from okoa.exchange.models import OutboundMessage
from okoa.intake.models import (
    GroupIncident,
    HotlineCall,
    OutboundSms,
    Report,
    ReportAttachment,
    UssdSession,
)
from okoa.lib.fields import EncryptedMixin
from okoa.notifications.models import NotificationContacts, OutboundEmail
from okoa.notifications.models import OutboundSms as NotificationSms
from okoa.operations.models import ManifestEvent, OperationPartner
from okoa.people.models import Person
from okoa.referrals.models import Consent, Referral
from okoa.retention import actions
from okoa.retention.models import ErasureRequest
from okoa.screening.models import Screening, ScreeningAnswer
from okoa.shelters.models import Shelter, ShelterStay

WIPED: dict[type[Model], set[str]] = {
    Person: set(actions.PERSON_FIELDS),
    Case: set(actions.CASE_FIELDS),
    CaseNote: {"body"},  # the notes are deleted
    CaseEvent: set(actions.CASE_EVENT_FIELDS),  # the entries stay, without their words
    Screening: set(actions.SCREENING_FIELDS),
    ScreeningAnswer: set(actions.SCREENING_ANSWER_FIELDS),
    Report: set(actions.REPORT_FIELDS),
    HotlineCall: set(actions.HOTLINE_CALL_FIELDS) - {"caller_phone_token"},
    GroupIncident: set(actions.GROUP_INCIDENT_FIELDS),
    ReportAttachment: set(actions.ATTACHMENT_FIELDS),
    OutboundSms: set(actions.OUTBOUND_SMS_FIELDS),
    UssdSession: set(actions.USSD_SESSION_FIELDS),
    NeedsAssessment: set(actions.NEEDS_ASSESSMENT_FIELDS),
    CareGoal: set(actions.CARE_GOAL_FIELDS),
    FollowUpVisit: set(actions.FOLLOW_UP_VISIT_FIELDS),
    LegalProcess: set(actions.LEGAL_PROCESS_FIELDS),
    BusinessPlan: set(actions.BUSINESS_PLAN_FIELDS),
    Disbursement: set(actions.DISBURSEMENT_FIELDS),
    ShelterStay: set(actions.SHELTER_STAY_FIELDS),
    ManifestEvent: set(actions.MANIFEST_EVENT_FIELDS),
    CareService: set(actions.CARE_SERVICE_FIELDS),
    # An operation's partners belong to everybody on its manifest: the notes go with the last
    # of them. The name only when it is a family's (people, role "families paying"): an
    # embassy's or an agency's name outside Okoa is an organisation's, not personal, and stays.
    OperationPartner: set(actions.OPERATION_PARTNER_FIELDS) | set(actions.FAMILY_PARTNER_FIELDS),
    Referral: set(actions.REFERRAL_FIELDS),
    Consent: set(actions.CONSENT_FIELDS),
    # Only while a message about the person's referrals waits to be delivered (a delivered
    # message keeps no body); a message of codes only (a withdrawal, ``referral.erased``)
    # still goes. A partner's copy of a received referral is a ``Referral`` (above), wiped by
    # ``okoa.referrals.actions.erase_received_referral`` when that message arrives.
    OutboundMessage: {"body"},
}
KEPT_ON_PURPOSE: dict[type[Model], set[str]] = {
    # Why the erasure happened: the form asks not to name the person there.
    ErasureRequest: {"reason", "decision_note"},
    # The organisation's own safe house, where other people still stay: not the person's data.
    Shelter: {"address"},
    # The organisation's referral desk's email address and phone: office contacts.
    NotificationContacts: {"email", "phone"},
    # Queued notifications go to those office contacts and carry an event's label, a referral's
    # code and a link, never a name or a detail of a case (okoa.notifications.delivery).
    OutboundEmail: {"to", "subject", "body"},
    NotificationSms: {"to", "message"},
    # Staff members' second-factor secrets: staff accounts, not survivors' data.
    AuthenticatorDevice: {"key"},
    RecoveryCodeDevice: {"key"},
    # The record of who took data out of Okoa and why: it covers many cases, belongs to none,
    # and the form asks for the purpose (for example a quarterly report); oversight needs it.
    ExportRecord: {"reason"},
}
# Personal data kept in the clear by its app, emptied by erasure too (not encrypted, so the
# lists above cannot see them). None left: care's legal numbers, business location and payment
# references and operations' correction reasons are encrypted now (listed in WIPED).
WIPED_IN_THE_CLEAR: dict[str, set[str]] = {}


def encrypted_fields(model: type[Model]) -> set[str]:
    return {
        field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)
    }


def okoa_models() -> list[type[Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("okoa.")
        for model in config.get_models()
    ]


def test_each_placed_model_lists_exactly_its_encrypted_fields():
    for model in {*WIPED, *KEPT_ON_PURPOSE}:
        wiped, kept = WIPED.get(model, set()), KEPT_ON_PURPOSE.get(model, set())
        assert not wiped & kept, model.__name__
        assert wiped | kept == encrypted_fields(model), model.__name__


def test_every_model_of_every_okoa_app_with_encrypted_fields_is_placed():
    unplaced = [
        model._meta.label
        for model in okoa_models()
        if encrypted_fields(model) and model not in WIPED and model not in KEPT_ON_PURPOSE
    ]
    assert unplaced == []


def test_the_apps_that_hold_personal_data_are_all_searched():
    searched = {model._meta.app_label for model in okoa_models() if encrypted_fields(model)}
    assert searched >= {
        "people",
        "cases",
        "intake",
        "screening",
        "care",
        "shelters",
        "referrals",
        "notifications",
        "exchange",
        "accounts",
        "retention",
        "audit",
        "operations",
    }


def test_the_fields_wiped_in_the_clear_exist_and_are_not_encrypted():
    for label, names in WIPED_IN_THE_CLEAR.items():
        model = apps.get_model(label)
        fields = {field.name: field for field in model._meta.concrete_fields}
        assert names <= set(fields), label
        assert not any(isinstance(fields[name], EncryptedMixin) for name in names), label
