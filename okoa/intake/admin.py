"""Admin pages for site administrators: which organisation receives each public channel.

Hazard: the admin bypasses Okoa's access functions and audit trail. Reports, calls, group
incidents and their tokens hold personal data and are never registered here.
"""

from __future__ import annotations

from django.contrib import admin

from okoa.intake.models import IntakeRoute


@admin.register(IntakeRoute)
class IntakeRouteAdmin(admin.ModelAdmin):
    """The receiving organisation of the web form, SMS, USSD and email."""

    list_display = ["channel", "organisation", "updated_at"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["updated_at"]
