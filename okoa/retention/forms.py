"""Forms of the retention pages. They parse input; the actions check it (okoa/retention/actions.py)
and their errors are shown with ``apply_validation_error``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.retention.actions import REASON_LIMIT
from okoa.retention.models import (
    MAX_RETENTION_DAYS,
    MIN_REPORT_RETENTION_DAYS,
    MIN_RETENTION_DAYS,
)


class RetentionPolicyForm(forms.Form):
    """The organisation's retention periods, in days (empty: no automatic erasure)."""

    closed_case_retention_days = forms.IntegerField(
        label=_("Days to keep identities after the last case closed"),
        required=False,
        min_value=MIN_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        help_text=_(
            "Between 30 and 36,500 days (for example 1,825 for five years). Leave empty to keep "
            "identities until somebody erases them."
        ),
    )
    caseless_report_retention_days = forms.IntegerField(
        label=_("Days to keep reports that finished without a case"),
        required=False,
        min_value=MIN_REPORT_RETENTION_DAYS,
        max_value=MAX_RETENTION_DAYS,
        help_text=_(
            "Reports closed or referred elsewhere without a case being opened (information "
            "requests, pranks, duplicates, not trafficking), counted from when they were closed "
            "or last changed; hotline calls that never became a report too. Between 90 and "
            "36,500 days (730 is two years). Leave empty to keep them until somebody erases them."
        ),
    )


class ErasureRequestForm(forms.Form):
    """Why a person's identity should be erased; whether their dependants' too."""

    reason = forms.CharField(
        label=_("Why should this identity be erased?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example: the survivor asked for it, or the person was recorded by mistake. "
            "Do not write the person's name: this reason is kept after the erasure."
        ),
    )
    include_dependants = forms.BooleanField(
        label=_("Also erase the dependants' identities"), required=False
    )

    def __init__(self, *args: object, has_dependants: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not has_dependants:
            del self.fields["include_dependants"]


class ApproveForm(forms.Form):
    """Approve an erasure: it happens at once and cannot be undone."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the erasure happens now and cannot be undone"),
        error_messages={"required": _("Confirm that the erasure cannot be undone.")},
    )


class RejectForm(forms.Form):
    """Reject an erasure request, saying why."""

    note = forms.CharField(
        label=_("Why is the request rejected?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
