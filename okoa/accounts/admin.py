"""Admin pages for site administrators: organisations, accounts and memberships.

Hazard: the admin bypasses Okoa's access functions and audit trail. Never register a model that
holds personal data of survivors (people, cases, notes, referrals...): case files are reached
only through the application's own pages, which log every read.

Two-step verification devices are here so that a site administrator can remove a lost phone's
app and recovery codes (the owner then enrols again), never to see or set a secret: no page
shows a device's key or a code's digest, and none adds or edits a device.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from okoa.accounts.models import (
    AuthenticatorDevice,
    Membership,
    Organisation,
    RecoveryCodeDevice,
    User,
)


class MembershipInline(admin.TabularInline):
    """The user's roles, one row per organisation."""

    model = Membership
    extra = 0
    fields = ["organisation", "role", "is_active", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations using Okoa."""

    list_display = ["name", "kind", "reference_prefix", "is_active", "created_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "reference_prefix"]
    readonly_fields = ["code", "created_at"]


class EmailUserCreationForm(AdminUserCreationForm):
    """Create an account named by its email address."""

    class Meta:
        model = User
        fields = ("email", "full_name", "preferred_language")

    def clean_email(self) -> str:
        # Accounts store email addresses in lower case, as sign-in expects them.
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class EmailUserChangeForm(UserChangeForm):
    """Change an account named by its email address."""

    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts of people who sign in to Okoa, with their memberships."""

    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    ordering = ["full_name"]
    readonly_fields = ["code", "date_joined", "last_login"]
    filter_horizontal = ["groups", "user_permissions"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password", "code")}),
        (_("Name and language"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who works in which organisation, with which role."""

    list_display = ["user", "organisation", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "organisation"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["created_at"]


DEVICE_COLUMNS: list[Any] = ["user", "name", "confirmed", "created_at", "last_used_at"]
# Listed one by one: a device's ``key`` must never appear on a page.
DEVICE_FIELDS: list[Any] = [
    *DEVICE_COLUMNS,
    "throttling_failure_count",
    "throttling_failure_timestamp",
]


class SecondFactorDeviceAdmin(admin.ModelAdmin):
    """Read and delete only: a device is made by its owner's enrolment, never here."""

    list_display = DEVICE_COLUMNS
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    fields = DEVICE_FIELDS
    readonly_fields = DEVICE_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(SecondFactorDeviceAdmin):
    """Users' authenticator apps."""


@admin.register(RecoveryCodeDevice)
class RecoveryCodeDeviceAdmin(SecondFactorDeviceAdmin):
    """Users' sets of recovery codes, with how many are left."""

    list_display = [*DEVICE_COLUMNS, "codes_left"]
    fields = [*DEVICE_FIELDS, "codes_left"]
    readonly_fields = [*DEVICE_FIELDS, "codes_left"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RecoveryCodeDevice]:
        return super().get_queryset(request).annotate(unused_codes=Count("codes"))

    @admin.display(description=_("unused codes"))
    def codes_left(self, device: RecoveryCodeDevice) -> int:
        return device.unused_codes


# django-otp's plaintext devices are no longer used (migration accounts 0004 moved their rows):
# no page may create one again.
for legacy in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(legacy):
        admin.site.unregister(legacy)
