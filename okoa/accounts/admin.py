"""Admin pages for site administrators: organisations, accounts and memberships.

Hazard: the admin bypasses Okoa's access functions and audit trail. Never register a model that
holds personal data of survivors (people, cases, notes, referrals...): case files are reached
only through the application's own pages, which log every read.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Membership, Organisation, User


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
