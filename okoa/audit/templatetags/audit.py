"""Describe audit rows for people: translated change names and field labels, never values."""

from __future__ import annotations

import contextlib

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTIONS = {
    "created": _("created"),
    "updated": _("updated"),
    "status_changed": _("status changed"),
    "assigned": _("caseworker assigned"),
    "erased": _("identity erased"),
    "screened": _("screening recorded"),
    "decided": _("decision recorded"),
}
RECORD_KINDS = {
    "case": ("cases", "Case", _("case")),
    "person": ("people", "Person", _("person")),
    "report": ("intake", "Report", _("report")),
    "screening": ("screening", "Screening", _("screening")),
    "erasure_request": ("retention", "ErasureRequest", _("erasure request")),
}


@register.filter
def action_label(action: str) -> str:
    """The change's name in the active language (unknown ones as recorded)."""
    return str(ACTIONS.get(action, action.replace("_", " ")))


@register.filter
def record_kind_label(kind: str) -> str:
    """The kind of record in the active language."""
    entry = RECORD_KINDS.get(kind)
    return str(entry[2]) if entry else kind.replace("_", " ")


@register.filter
def field_labels(fields: list[str], kind: str) -> str:
    """The changed fields' labels in the active language, joined with commas."""
    entry = RECORD_KINDS.get(kind)
    model = apps.get_model(entry[0], entry[1]) if entry else None
    labels = []
    for name in fields or []:
        label = name.replace("_", " ")
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(getattr(model._meta.get_field(name), "verbose_name", label))
        labels.append(label)
    return ", ".join(labels)
