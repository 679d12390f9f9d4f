"""Every encrypted field of a person's file, and of the reports and channel records about them,
is either emptied by erasure or kept on purpose: a field added later must be placed in one list
or the other before this test passes."""

from django.db.models import Model

from okoa.cases.models import Case, CaseNote
from okoa.intake.models import (
    GroupIncident,
    HotlineCall,
    OutboundSms,
    Report,
    ReportAttachment,
    UssdSession,
)
from okoa.lib.fields import EncryptedMixin
from okoa.people.models import Person
from okoa.retention import actions
from okoa.retention.models import ErasureRequest
from okoa.screening.models import Screening, ScreeningAnswer

WIPED: dict[type[Model], set[str]] = {
    Person: set(actions.PERSON_FIELDS),
    Case: set(actions.CASE_FIELDS),
    CaseNote: {"body"},  # the notes are deleted
    Screening: set(actions.SCREENING_FIELDS),
    ScreeningAnswer: set(actions.SCREENING_ANSWER_FIELDS),
    Report: set(actions.REPORT_FIELDS),
    HotlineCall: set(actions.HOTLINE_CALL_FIELDS) - {"caller_phone_token"},
    GroupIncident: set(actions.GROUP_INCIDENT_FIELDS),
    ReportAttachment: set(actions.ATTACHMENT_FIELDS),
    OutboundSms: set(actions.OUTBOUND_SMS_FIELDS),
    UssdSession: set(actions.USSD_SESSION_FIELDS),
}
# Why the erasure happened: the form asks not to name the person there.
KEPT_ON_PURPOSE: dict[type[Model], set[str]] = {ErasureRequest: {"reason", "decision_note"}}


def encrypted_fields(model: type[Model]) -> set[str]:
    return {
        field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)
    }


def test_each_encrypted_field_is_wiped_or_kept_on_purpose():
    for model, names in {**WIPED, **KEPT_ON_PURPOSE}.items():
        assert encrypted_fields(model) == names, model.__name__


def test_every_intake_model_with_encrypted_fields_is_placed():
    # Reports are erased with whatever their channels kept beside them: a channel record added
    # later (a new gateway's messages, say) must be placed too.
    from django.apps import apps

    for app in ("intake", "people", "cases", "screening"):
        models = [m for m in apps.get_app_config(app).get_models() if encrypted_fields(m)]
        unplaced = [m.__name__ for m in models if m not in WIPED and m not in KEPT_ON_PURPOSE]
        assert unplaced == [], app
