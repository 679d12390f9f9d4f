"""Admin pages for site administrators: partner installations and their organisations.

Partners are registered with ``manage.py add_partner`` (which reads the partner's card and shows
its fingerprint to compare); here they are listed and can be renamed or deactivated. Keys,
address and installation id are read-only (a new card replaces them: ``add_partner
--replace``). Messages are not in the admin: their bodies may hold personal data.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from okoa.exchange.models import Partner, RemoteOrganisation


class RemoteOrganisationInline(admin.TabularInline):
    """The partner's organisations, as its directory last listed them."""

    model = RemoteOrganisation
    extra = 0
    fields = readonly_fields = (
        "name",
        "kind",
        "remote_code",
        "organisation",
        "is_active",
        "updated_at",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    """Other Okoa installations this one exchanges messages with."""

    list_display = ["name", "installation_id", "base_url", "is_active", "last_pong_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "installation_id"]
    fields = [
        "name",
        "installation_id",
        "base_url",
        "is_active",
        "signing_key",
        "encryption_key",
        "created_at",
        "last_pong_at",
    ]
    readonly_fields = [
        "installation_id",
        "base_url",
        "signing_key",
        "encryption_key",
        "created_at",
        "last_pong_at",
    ]
    inlines = [RemoteOrganisationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
