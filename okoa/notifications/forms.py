"""The organisation's notification contacts form (the action checks and normalises the values)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NotificationContactsForm(forms.Form):
    """Where the referral desk is told of new referrals and answers."""

    email = forms.CharField(
        label=_("Email address of the referral desk"),
        max_length=254,
        required=False,
        help_text=_("An office address that several people read. Leave empty for no email."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone number for SMS"),
        max_length=40,
        required=False,
        help_text=_(
            "The desk's mobile, such as 0722 000 111 or +254 722 000 111. Leave empty for no SMS."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
