"""Turn the codes a client sends into the records the actions take.

Reference values travel as codes: countries by ISO 3166-1 alpha-2, counties and sub-counties by
their official numbers, code-list items by their code within the list the field uses. People
and caseworkers are named by their opaque codes and found only within the member's
organisation. Every unknown code is collected under its field name, and ``check`` raises them
all at once as a ``ValidationError`` (a 400) before anything is written.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from okoa.accounts.models import Membership, User
from okoa.people.access import get_person_for_user
from okoa.people.models import Person
from okoa.reference.models import CodeList, CodeListItem, Country, County, SubCounty

# Case fields that take code-list items, and the list each one draws from.
CASE_ITEM_FIELDS = {
    "trafficking_status": CodeList.TRAFFICKING_STATUS,
    "recruitment_type": CodeList.RECRUITMENT_TYPE,
}
CASE_ITEMS_FIELDS = {
    "exploitation_types": CodeList.EXPLOITATION_TYPE,
    "labour_industries": CodeList.LABOUR_INDUSTRY,
    "methods_of_control": CodeList.METHOD_OF_CONTROL,
}
CASE_COUNTRIES_FIELDS = ("countries_of_origin", "countries_of_transit", "countries_of_exploitation")


class Lookups:
    """Resolve codes for one request, collecting the unknown ones by field."""

    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        self.errors: dict[str, list[str]] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def check(self) -> None:
        """Raise the collected errors, if any."""
        if self.errors:
            raise ValidationError(self.errors)

    def country(self, field: str, code: str | None) -> Country | None:
        if code is None:
            return None
        country = Country.objects.filter(code=code.upper()).first()
        if country is None:
            self.fail(field, _("“%(code)s” is not a known country code.") % {"code": code})
        return country

    def countries(self, field: str, codes: list[str]) -> list[Country]:
        wanted = {code.upper() for code in codes}
        found = list(Country.objects.filter(code__in=wanted))
        for code in sorted(wanted - {country.code for country in found}):
            self.fail(field, _("“%(code)s” is not a known country code.") % {"code": code})
        return found

    def county(self, field: str, code: int | None) -> County | None:
        if code is None:
            return None
        county = County.objects.filter(code=code).first()
        if county is None:
            self.fail(field, _("%(code)s is not a county code.") % {"code": code})
        return county

    def sub_county(self, field: str, code: int | None) -> SubCounty | None:
        if code is None:
            return None
        sub_county = SubCounty.objects.filter(code=code).first()
        if sub_county is None:
            self.fail(field, _("%(code)s is not a sub-county code.") % {"code": code})
        return sub_county

    def item(self, field: str, code_list: CodeList, code: str | None) -> CodeListItem | None:
        if code is None:
            return None
        item = CodeListItem.objects.filter(list=code_list, code=code, is_active=True).first()
        if item is None:
            self.fail(field, self._not_in_list(code, code_list))
        return item

    def items(self, field: str, code_list: CodeList, codes: list[str]) -> list[CodeListItem]:
        wanted = set(codes)
        found = list(CodeListItem.objects.filter(list=code_list, code__in=wanted, is_active=True))
        for code in sorted(wanted - {item.code for item in found}):
            self.fail(field, self._not_in_list(code, code_list))
        return found

    @staticmethod
    def _not_in_list(code: str, code_list: CodeList) -> str:
        return _("“%(code)s” is not a code of the list “%(list)s”.") % {
            "code": code,
            "list": code_list.label,
        }

    def person(self, field: str, code: str | None, *, write: bool = False) -> Person | None:
        """Find a person of the member's organisation (one the member may see)."""
        if code is None:
            return None
        try:
            return get_person_for_user(self.membership, code, write=write)
        except Http404:
            self.fail(field, _("No person has this code."))
            return None

    def caseworker(self, field: str, code: str | None) -> User | None:
        """Find an active member of the member's organisation by their user code."""
        if code is None:
            return None
        membership = (
            Membership.objects.filter(
                organisation_id=self.membership.organisation_id,
                user__code=code,
                user__is_active=True,
                is_active=True,
            )
            .select_related("user")
            .first()
        )
        if membership is None:
            self.fail(field, _("Nobody in your organisation has this code."))
            return None
        return membership.user

    def person_values(self, data: dict[str, Any], *, prefix: str = "") -> dict[str, Any]:
        """Return a person's submitted values with codes replaced by records."""
        values = dict(data)
        if "nationality" in values:
            values["nationality"] = self.country(f"{prefix}nationality", values["nationality"])
        if "county_of_origin" in values:
            values["county_of_origin"] = self.county(
                f"{prefix}county_of_origin", values["county_of_origin"]
            )
        if "sub_county_of_origin" in values:
            values["sub_county_of_origin"] = self.sub_county(
                f"{prefix}sub_county_of_origin", values["sub_county_of_origin"]
            )
        if "parent" in values:
            values["parent"] = self.person(f"{prefix}parent", values["parent"])
        if "relationship_to_parent" in values and values["relationship_to_parent"] is None:
            values["relationship_to_parent"] = ""
        return values

    def case_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """Return a case's submitted details with codes replaced by records."""
        values = dict(data)
        for field, code_list in CASE_ITEM_FIELDS.items():
            if field in values:
                values[field] = self.item(field, code_list, values[field])
        for field, code_list in CASE_ITEMS_FIELDS.items():
            if field in values:
                values[field] = self.items(field, code_list, values[field])
        for field in CASE_COUNTRIES_FIELDS:
            if field in values:
                values[field] = self.countries(field, values[field])
        return values
