"""The shared sections of a referral: taken from the case when it is sent, shown to the receiver.

``take_snapshot`` copies the chosen sections of a case into plain JSON (codes for categories,
names for places, dates as ISO strings), which the referral keeps encrypted. ``describe`` turns a
snapshot back into labelled lines in the reader's language. The receiver's pages read only the
snapshot, never the sender's case tables, so a snapshot can also arrive from another
installation. Free-text notes of assessments, goals and screenings are never copied: the sender
writes what the receiver needs in the referral's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from okoa.care.models import (
    CareArea,
    CareGoal,
    CarePlan,
    CareService,
    LegalProcess,
    NeedLevel,
    NeedsAssessment,
)
from okoa.cases.models import Case
from okoa.lib import names
from okoa.people.forms import language_label
from okoa.people.models import Person
from okoa.referrals.models import Section
from okoa.screening.models import AgeGroup, Conclusion, Screening

SNAPSHOT_VERSION = 1


def take_snapshot(case: Case, sections: list[str]) -> dict[str, Any]:
    """Copy ``sections`` of the case, as they are now, into a JSON-ready mapping."""
    person = case.person
    today = timezone.localdate()
    snapshot: dict[str, Any] = {"version": SNAPSHOT_VERSION, "taken_on": today.isoformat()}
    builders = {
        Section.BASIC: lambda: _basic(person, today),
        Section.CONTACT: lambda: _contact(person),
        Section.IDENTITY_DOCUMENTS: lambda: _documents(person),
        Section.NARRATIVE: lambda: _narrative(case),
        Section.SCREENING: lambda: _screening(case),
        Section.NEEDS: lambda: _needs(case),
        Section.CARE_PLAN: lambda: _care_plan(case),
        Section.LEGAL: lambda: _legal(case),
        Section.SHELTER_NEEDS: lambda: _shelter_needs(case, person, today),
    }
    for name in sections:
        snapshot[name] = builders[Section(name)]()
    return snapshot


def _basic(person: Person, today: Any) -> dict[str, Any]:
    return {
        "given_name": person.given_name if person.erased_at is None else "",
        "sex": person.sex,
        "age": person.age_on(today),
        "age_is_estimated": person.birth_year_is_estimated or person.date_of_birth is None,
        "nationality": person.nationality.name if person.nationality else "",
        "county": person.county_of_origin.name if person.county_of_origin else "",
    }


def _contact(person: Person) -> dict[str, Any]:
    return {"phone_numbers": list(person.phone_numbers or []), "languages": person.languages}


def _documents(person: Person) -> dict[str, Any]:
    born = person.date_of_birth
    return {
        "full_name": person.full_name,
        "date_of_birth": born.isoformat() if born else "",
        "national_id_number": person.national_id_number,
        "passport_number": person.passport_number,
    }


def _narrative(case: Case) -> dict[str, Any]:
    return {
        "narrative": case.narrative,
        "identified_on": case.identified_on.isoformat() if case.identified_on else "",
        "exploitation_types": [item.name for item in case.exploitation_types.all()],
        "countries_of_exploitation": [
            country.name for country in case.countries_of_exploitation.all()
        ],
    }


def _screening(case: Case) -> dict[str, Any]:
    screening = (
        Screening.objects.filter(case=case)
        .defer("decision_reason")
        .order_by("-screened_at", "-id")
        .first()
    )
    if screening is None:
        return {}
    return {
        "screened_on": timezone.localdate(screening.screened_at).isoformat(),
        "suggestion": screening.suggestion,
        "decision": screening.decision,
        "age_group": screening.age_group,
    }


def _latest_assessment(case: Case) -> NeedsAssessment | None:
    return NeedsAssessment.objects.filter(case=case).defer("notes").first()


def _needs(case: Case) -> dict[str, Any]:
    assessment = _latest_assessment(case)
    if assessment is None:
        return {}
    return {
        "assessed_on": assessment.assessed_on.isoformat(),
        "levels": {area.value: getattr(assessment, area.value) for area in CareArea},
    }


def _care_plan(case: Case) -> dict[str, Any]:
    plan = CarePlan.objects.filter(case=case).first()
    if plan is None:
        return {}
    goals = CareGoal.objects.filter(plan=plan).defer("description")
    services = CareService.objects.filter(plan=plan).select_related("provider_organisation")
    return {
        "goals": [
            {"area": goal.area, "status": goal.status, "target_on": goal.target_on.isoformat()}
            for goal in goals
        ],
        "services": [
            {"kind": service.kind, "status": service.status, "provider": service.provider_label}
            for service in services
        ],
    }


def _legal(case: Case) -> dict[str, Any]:
    legal = LegalProcess.objects.filter(case=case).prefetch_related("hearings").first()
    if legal is None:
        return {}
    return {
        "stage": legal.stage,
        "ob_number": legal.ob_number,
        "police_station": legal.police_station,
        "reported_on": legal.reported_on.isoformat() if legal.reported_on else "",
        "p3_status": legal.p3_status,
        "court": legal.court,
        "court_case_number": legal.court_case_number,
        "survivor_role": legal.survivor_role,
        "hearings": [hearing.held_on.isoformat() for hearing in legal.hearings.all()],
    }


def _shelter_needs(case: Case, person: Person, today: Any) -> dict[str, Any]:
    assessment = _latest_assessment(case)
    levels = {}
    if assessment is not None:
        levels = {area: getattr(assessment, area) for area in ("safety", "shelter", "medical")}
    return {
        "levels": levels,
        "disability": person.disability,
        "languages": person.languages,
        "dependants": [
            {
                "relationship": dependant.relationship_to_parent,
                "sex": dependant.sex,
                "age": dependant.age_on(today),
            }
            for dependant in Person.objects.filter(parent=person).defer(
                "given_name", "family_name", "other_names", "phone_numbers"
            )
        ],
    }


# Reading a snapshot back -----------------------------------------------------------------------


@dataclass
class SharedSection:
    """One shared section as the receiver reads it: a title and labelled lines."""

    name: str
    title: str
    lines: list[tuple[str, str]]


def describe(snapshot: dict[str, Any] | None, sections: list[str]) -> list[SharedSection]:
    """Label the snapshot's sections in the reader's language (unknown values shown as they are)."""
    if not snapshot:
        return []
    described = []
    for name in sections:
        if name not in Section.values:
            continue
        values = snapshot.get(name) or {}
        lines = _DESCRIBERS[name](values) if values else []
        described.append(
            SharedSection(name, str(Section(name).label), lines or [(_("Nothing recorded"), "—")])
        )
    return described


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def _day(value: str) -> str:
    day = parse_date(value or "")
    return formats.date_format(day, "DATE_FORMAT") if day else "—"


def _or_dash(value: Any) -> str:
    return str(value) if value not in (None, "", []) else "—"


def _describe_basic(values: dict[str, Any]) -> list[tuple[str, str]]:
    age = values.get("age")
    age_text = "—" if age is None else str(age)
    if age is not None and values.get("age_is_estimated"):
        age_text = _("about %(age)s") % {"age": age}
    return [
        (_("First name"), _or_dash(values.get("given_name"))),
        (_("Sex"), _label(Person.Sex, values.get("sex", ""))),
        (_("Age"), age_text),
        (_("Nationality"), _or_dash(values.get("nationality"))),
        (_("County of origin"), _or_dash(values.get("county"))),
    ]


def _languages(codes: list[str] | None) -> str:
    return ", ".join(language_label(code) for code in codes or []) or "—"


def _describe_contact(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (_("Phone numbers"), ", ".join(values.get("phone_numbers") or []) or "—"),
        (_("Languages"), _languages(values.get("languages"))),
    ]


def _describe_documents(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (_("Full name"), _or_dash(values.get("full_name"))),
        (_("Date of birth"), _day(values.get("date_of_birth", ""))),
        (_("National identity number"), _or_dash(values.get("national_id_number"))),
        (_("Passport number"), _or_dash(values.get("passport_number"))),
    ]


def _describe_narrative(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (_("What happened"), _or_dash(values.get("narrative"))),
        (_("Date identified"), _day(values.get("identified_on", ""))),
        (_("Types of exploitation"), ", ".join(values.get("exploitation_types") or []) or "—"),
        (
            _("Countries of exploitation"),
            ", ".join(values.get("countries_of_exploitation") or []) or "—",
        ),
    ]


def _describe_screening(values: dict[str, Any]) -> list[tuple[str, str]]:
    decision = values.get("decision", "")
    return [
        (_("Screened on"), _day(values.get("screened_on", ""))),
        (
            _("Decision"),
            _label(Conclusion, decision) if decision else _("Not decided yet"),
        ),
        (_("Okoa's suggestion"), _label(Conclusion, values.get("suggestion", ""))),
        (_("Age at the time"), _label(AgeGroup, values.get("age_group", ""))),
    ]


def _describe_needs(values: dict[str, Any]) -> list[tuple[str, str]]:
    lines = [(_("Assessed on"), _day(values.get("assessed_on", "")))]
    for area, level in (values.get("levels") or {}).items():
        lines.append((_label(CareArea, area), _label(NeedLevel, level)))
    return lines


def _describe_care_plan(values: dict[str, Any]) -> list[tuple[str, str]]:
    lines = []
    for goal in values.get("goals") or []:
        lines.append(
            (
                _("Goal: %(area)s") % {"area": _label(CareArea, goal.get("area", ""))},
                _("%(status)s, target %(date)s")
                % {
                    "status": _label(CareGoal.Status, goal.get("status", "")),
                    "date": _day(goal.get("target_on", "")),
                },
            )
        )
    for service in values.get("services") or []:
        lines.append(
            (
                _("Service: %(kind)s")
                % {"kind": _label(CareService.Kind, service.get("kind", ""))},
                _("%(status)s, by %(provider)s")
                % {
                    "status": _label(CareService.Status, service.get("status", "")),
                    "provider": service.get("provider") or "—",
                },
            )
        )
    return lines


def _describe_legal(values: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (_("Stage"), _label(LegalProcess.Stage, values.get("stage", ""))),
        (_("Police station"), _or_dash(values.get("police_station"))),
        (_("Occurrence book number"), _or_dash(values.get("ob_number"))),
        (_("Reported to the police on"), _day(values.get("reported_on", ""))),
        (_("P3 medical form"), _label(LegalProcess.P3Status, values.get("p3_status", ""))),
        (_("Court"), _or_dash(values.get("court"))),
        (_("Court case number"), _or_dash(values.get("court_case_number"))),
        (_("The survivor's role"), _label(LegalProcess.Role, values.get("survivor_role", ""))),
        (_("Hearings"), ", ".join(_day(day) for day in values.get("hearings") or []) or "—"),
    ]


def _describe_shelter_needs(values: dict[str, Any]) -> list[tuple[str, str]]:
    lines = [
        (_label(CareArea, area), _label(NeedLevel, level))
        for area, level in (values.get("levels") or {}).items()
    ]
    lines.append((_("Disability"), _label(Person.Disability, values.get("disability", ""))))
    lines.append((_("Languages"), _languages(values.get("languages"))))
    dependants = values.get("dependants") or []
    described = [
        _("%(relationship)s, %(sex)s, %(age)s")
        % {
            "relationship": _label(Person.Relationship, dependant.get("relationship", "")),
            "sex": _label(Person.Sex, dependant.get("sex", "")),
            "age": _or_dash(dependant.get("age")),
        }
        for dependant in dependants
    ]
    lines.append((_("Dependants"), "; ".join(described) or _("None")))
    return lines


_DESCRIBERS = {
    Section.BASIC.value: _describe_basic,
    Section.CONTACT.value: _describe_contact,
    Section.IDENTITY_DOCUMENTS.value: _describe_documents,
    Section.NARRATIVE.value: _describe_narrative,
    Section.SCREENING.value: _describe_screening,
    Section.NEEDS.value: _describe_needs,
    Section.CARE_PLAN.value: _describe_care_plan,
    Section.LEGAL.value: _describe_legal,
    Section.SHELTER_NEEDS.value: _describe_shelter_needs,
}


# Identifiers in a snapshot ---------------------------------------------------------------------

# A run of digits written as people write phone numbers: "+254 700 000-177", "(0700) 000177".
_PHONE_RUN = re.compile(r"[+(\d][\d\s().-]*\d")
# Shorter numbers (a house number, a count) would match too much text that names nobody.
_MIN_PHONE_DIGITS = 7
_MIN_DOCUMENT_LENGTH = 5


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


@dataclass(frozen=True)
class SharedIdentifiers:
    """What identifies the survivor in a snapshot, normalised: to find the survivor named in a
    text written about the referral (a receiver's answer notes). Read before a snapshot is
    wiped; never stored, never logged.

    The names (the first name and the full name), the phone numbers (their last nine digits,
    so that 0700..., +254700... and 700... meet), the identity, passport, occurrence book and
    court case numbers, and the date of birth.
    """

    name_parts: frozenset[str]
    phones: frozenset[str]
    documents: frozenset[str]
    dates: frozenset[str]

    @classmethod
    def of(cls, shared: dict[str, Any] | None) -> SharedIdentifiers:
        shared = shared if isinstance(shared, dict) else {}

        def section(name: str) -> dict[str, Any]:
            values = shared.get(name)
            return values if isinstance(values, dict) else {}

        basic, contact = section(Section.BASIC), section(Section.CONTACT)
        documents, legal = section(Section.IDENTITY_DOCUMENTS), section(Section.LEGAL)
        name_texts = _texts(basic.get("given_name")) + _texts(documents.get("full_name"))
        phones = (names.normalise_phone(text) for text in _texts(contact.get("phone_numbers")))
        numbers = (
            names.normalise_document_number(text)
            for key in ("national_id_number", "passport_number")
            for text in _texts(documents.get(key))
        )
        legal_numbers = (
            names.normalise_document_number(text)
            for key in ("ob_number", "court_case_number")
            for text in _texts(legal.get(key))
        )
        return cls(
            name_parts=frozenset(part for text in name_texts for part in names.name_parts(text)),
            phones=frozenset(phone[-9:] for phone in phones if len(phone) >= _MIN_PHONE_DIGITS),
            documents=frozenset(
                number
                for number in (*numbers, *legal_numbers)
                if len(number) >= _MIN_DOCUMENT_LENGTH
            ),
            dates=frozenset(text for text in _texts(documents.get("date_of_birth")) if text),
        )

    def found_in(self, text: str) -> bool:
        """Whether ``text`` names the survivor: one of their name parts as a word, one of
        their numbers, or their date of birth."""
        if not text:
            return False
        if self.name_parts & set(names.name_parts(text)):
            return True
        for run in _PHONE_RUN.findall(text):
            digits = re.sub(r"\D", "", run)
            if any(phone in digits for phone in self.phones):
                return True
        compact = names.normalise_document_number(text)
        if any(number in compact for number in self.documents):
            return True
        return any(date in text for date in self.dates)
