"""Forms for signing in, choosing an organisation and managing personal API tokens.

Also home to ``apply_validation_error``, which every form of Okoa uses to show the field errors
that an action raised (actions check their inputs; forms only parse them).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Membership


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ValidationError on ``form``: on its fields where they match, else on top.

    Call it with the error of an action that ran inside a transaction which has been rolled back.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else NON_FIELD_ERRORS
        form.add_error(None if target == NON_FIELD_ERRORS else target, errors)


class LoginForm(AuthenticationForm):
    """Sign in with an email address and a password."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        # Accounts store email addresses in lower case (UserManager.create_user).
        return self.cleaned_data["username"].strip().lower()


class OrganisationChoiceForm(forms.Form):
    """Choose which of one's organisations to act in (the choice lives in the session)."""

    organisation = forms.ChoiceField(label=_("Organisation"), widget=forms.RadioSelect)

    def __init__(self, *args: object, memberships: list[Membership], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.memberships = {membership.organisation.code: membership for membership in memberships}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (code, f"{membership.organisation.name} · {membership.get_role_display()}")
            for code, membership in self.memberships.items()
        ]

    def chosen_membership(self) -> Membership:
        return self.memberships[self.cleaned_data["organisation"]]


class ApiTokenForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example “monthly statistics script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RevokeApiTokenForm(forms.Form):
    """Revoke one of one's tokens, named by its public prefix (never by its database id)."""

    token = forms.CharField(max_length=12, widget=forms.HiddenInput)
