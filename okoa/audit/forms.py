from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Membership

RECORD_KINDS = [
    ("", _("All records")),
    ("case", _("Cases")),
    ("person", _("People")),
    ("report", _("Reports")),
    ("screening", _("Screenings")),
]


class TrailFilterForm(forms.Form):
    """Filter the organisation's audit trail by member and by record (opaque codes only)."""

    user = forms.ChoiceField(label=_("Member"), required=False)
    kind = forms.ChoiceField(label=_("Kind of record"), choices=RECORD_KINDS, required=False)
    record = forms.CharField(
        label=_("Record code"),
        required=False,
        max_length=32,
        help_text=_("The code at the end of a record's address, to see one record's trail."),
    )

    def __init__(self, *args: object, membership: Membership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        members = (
            Membership.objects.filter(organisation_id=membership.organisation_id)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["user"].choices = [("", _("All members"))] + [  # type: ignore[attr-defined]
            (member.user.code, member.user.full_name) for member in members
        ]
