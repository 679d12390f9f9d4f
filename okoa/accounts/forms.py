"""Forms for signing in, two-step verification, passwords, organisations and API tokens.

Also home to ``apply_validation_error``, which every form of Okoa uses to show the field errors
that an action raised (actions check their inputs; forms only parse them).

The sign-in forms only parse what was typed: checking passwords and codes, and counting
failures, happen in the ``sign_in`` and ``two_factor`` views (throttle first, then check).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from okoa.accounts.access import client_address, email_digest, reset_requests_exhausted
from okoa.accounts.actions import log_subject, record_sign_in_attempt, security_log
from okoa.accounts.models import Membership, SignInAttempt


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


def form_status(form: forms.BaseForm) -> int:
    """400 for a form that was sent and refused, 200 for a fresh one."""
    return 400 if form.is_bound else 200


def try_action(form: forms.BaseForm, act: Callable[[], Any]) -> Any:
    """Run an action and return its result (True if it returns nothing); on a ValidationError
    show it on ``form`` and return None. Actions are atomic, so nothing is half-saved."""
    try:
        return act() or True
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


class LoginForm(forms.Form):
    """Sign in, step one: an email address and a password."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        # Hashing a megabyte-long "password" costs real time; nobody's password is this long.
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self) -> str:
        # Accounts store email addresses in lower case (UserManager.create_user).
        return self.cleaned_data["username"].strip().lower()


class TwoFactorCodeForm(forms.Form):
    """Sign in, step two: a code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )


class ConfirmDeviceForm(forms.Form):
    """Confirm a new authenticator app with the code it shows."""

    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=10,
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class OkoaPasswordResetForm(PasswordResetForm):
    """Ask for a password reset link; a few per address and per network address at most.

    The page looks the same whether the address has an account, whether an email went out or
    not: nothing tells a visitor which addresses are accounts.
    """

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        email = self.cleaned_data["email"].strip().lower()
        address = client_address(kwargs.get("request"))
        if reset_requests_exhausted(email_digest(email), address):
            security_log.warning(
                "password reset refused: too many requests %s address=%s",
                log_subject(email=email),
                address,
            )
            return
        record_sign_in_attempt(
            email=email, address=address, outcome=SignInAttempt.Outcome.RESET_REQUESTED
        )
        super().save(**kwargs)


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
