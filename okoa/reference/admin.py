"""Admin pages for the reference data: view and search only.

The CSV files in ``okoa/reference/data`` are the source of truth and ``load_reference_data``
overwrites the database from them, so edits made here would be lost. Records are never deleted:
people and cases point at them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from okoa.reference.models import CodeListItem, Country, County, SubCounty


class ReferenceDataAdmin(admin.ModelAdmin):
    """Show reference data read-only: change it in the CSV files, then reload."""

    list_per_page = 100

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Refuse: rows come from the CSV files."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """Refuse: the next load would overwrite the change."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """Refuse: records elsewhere point at reference rows."""
        return False


@admin.register(Country)
class CountryAdmin(ReferenceDataAdmin):
    """ISO 3166-1 countries."""

    list_display = ["code", "alpha3", "name", "name_sw"]
    search_fields = ["code", "alpha3", "name", "name_sw"]


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    """Kenya's 47 counties."""

    list_display = ["code", "name", "name_sw"]
    search_fields = ["name", "name_sw"]
    ordering = ["code"]


@admin.register(SubCounty)
class SubCountyAdmin(ReferenceDataAdmin):
    """Sub-counties (IEBC constituencies)."""

    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "name_sw", "county__name"]
    list_select_related = ["county"]
    ordering = ["code"]


@admin.register(CodeListItem)
class CodeListItemAdmin(ReferenceDataAdmin):
    """Items of the shipped code lists (HTCDS, Kenya CTiP, ILO)."""

    list_display = ["list", "code", "name", "name_sw", "source", "sort_order", "is_active"]
    list_filter = ["list", "source", "is_active"]
    search_fields = ["code", "name", "name_sw", "description"]
