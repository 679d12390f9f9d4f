"""The screening rules: answers about trafficking indicators in, a suggestion with reasons out.

Pure functions, no database: the caller passes every answer, keyed ``"<code list>:<code>"``
(``"palermo_act:TARC"``), each "yes", "no" or "unknown", and the person's age group at the
time. A screening only *suggests*; a person decides (``okoa/screening/actions.py``).

Sources
-------

* **Palermo Protocol**: UN Protocol to Prevent, Suppress and Punish Trafficking in Persons,
  Especially Women and Children (2000), art. 3. (a) trafficking is an *act* (recruitment,
  transportation, transfer, harbouring or receipt of persons) by *means* (threat or use of force
  or other forms of coercion, abduction, fraud, deception, abuse of power or of a position of
  vulnerability, giving or receiving payments or benefits to a person in control) for the
  *purpose* of exploitation; (c) for a child the act for the purpose of exploitation is
  trafficking "even if this does not involve any of the means"; (d) a child is any person under
  eighteen. Kenya's Counter-Trafficking in Persons Act, 2010 defines the offence on the same
  elements. The act, means and purpose items are the Kenya CTiP code lists (``palermo_act``,
  ``palermo_means``, ``palermo_purpose``, from the government's CPIMS counter-trafficking
  module).
* **ILO**: ILO Indicators of Forced Labour (ILO Special Action Programme to Combat Forced
  Labour, 2012): eleven indicators. "The presence of a single indicator in a given situation
  may in some cases imply the existence of forced labour. However, in other cases you may need
  to look for several indicators which, taken together, point to a forced labour case." Forced
  labour is defined by the Forced Labour Convention, 1930 (No. 29), art. 2(1): work exacted
  under the menace of a penalty and not offered voluntarily; the ILO counts forced commercial
  sexual exploitation as forced labour.
* **HTCDS**: IOM's Human Trafficking Case Data Standard 2.0, ``Field Definitions.md``: each
  *method of control* is "a tactic intended to create or maintain power and control over the
  individual" (the definition of ``Other``), so each one is evidence of a *means*.
* **Abuse of vulnerability**: UNODC Issue Paper "Abuse of a position of vulnerability and other
  'means' within the definition of trafficking in persons" (2012/2013) names isolation and
  dependency (including on drugs) among the situations that traffickers abuse.

Rules
-----

1. **Element states.** Each element (act, means, purpose) is *present* when an item of it is
   "yes" or an indicator points to it (table below); *absent* when its own items were asked and
   every answer that could point to it is "no"; otherwise *not known*. An element whose items
   were not asked at all is not known.
2. **Means from indicators** (``MEANS_FROM_INDICATORS``): an ILO indicator or HTCDS method of
   control answered "yes" makes the means present, as the Palermo means it names.
3. **Forced labour from ILO indicators**: two or more ILO indicators "yes" make the purpose
   present as *forced labour* (``FORCED_LABOUR_THRESHOLD``); a single one keeps the purpose open
   (not known), never absent, because one indicator may in some cases imply forced labour.
   Any ILO indicator answered "unknown" also keeps an otherwise absent purpose open.
4. **Adult** (18 or over at the time of the act, or age unknown): *presumed victim of
   trafficking* when act, means and purpose are all present (art. 3(a)).
5. **Child** (under 18 at the time, or age unknown but appearing to be a child, who is presumed
   to be one): *presumed victim* when act and purpose are present; the means are not required
   (art. 3(c), (d)).
6. **Adult with act and purpose but no means** (means absent or not known): *further screening
   needed*, never "not trafficking": means are often disclosed late, and the age may be wrong.
7. **Not trafficking: refer elsewhere** only when every element that the rule needs was answered
   (none is "not known": act and purpose, and the means for an adult) and the act or the
   purpose is clearly absent. This is the conclusion that costs most when wrong (a person turned
   away), so it is the hardest to reach.
8. Otherwise: **further screening needed**, with the elements still open and their unanswered
   items as reasons.

Evidence table (``MEANS_FROM_INDICATORS``)
------------------------------------------

=================================  ===============================  ==========================
indicator "yes"                    counts as the means              why
=================================  ===============================  ==========================
ILO Abuse of vulnerability         Abuse of power or vulnerability  same words
ILO Deception                      Deception                        same words
ILO Restriction of movement        Coercion                         confinement compels
ILO Isolation                      Abuse of power or vulnerability  UNODC: isolation
ILO Physical and sexual violence   Threat or use of force           use of force
ILO Intimidation and threats       Coercion                         ILO: threats of
                                                                    denunciation, dismissal
ILO Retention of identity docs     Coercion                         keeps the person in place
ILO Withholding of wages           Coercion                         compels the person to stay
ILO Debt bondage                   Coercion                         debt used to compel work
ILO Abusive working and living     (no means; counts towards
conditions                         forced labour only)
ILO Excessive overtime             (no means; forced labour only)
HTCDS Physical threats             Threat or use of force           threat of force
HTCDS Threats of law enforcement   Coercion                         threat of denunciation
HTCDS Threatens children/family    Coercion
HTCDS Debt bondage                 Coercion
HTCDS False promises               Deception                        HTCDS: "deception and
                                                                    false pretenses"
HTCDS Physical abuse               Threat or use of force           use of force
HTCDS Sexual abuse                 Threat or use of force           used to control (HTCDS)
HTCDS Takes earnings               Coercion
HTCDS Restricts financial access   Coercion
HTCDS Restricts medical care       Coercion
HTCDS Withholds necessities        Coercion
HTCDS Psychological abuse          Abuse of power or vulnerability  HTCDS: "power imbalances"
HTCDS Psychoactive substance       Abuse of power or vulnerability  UNODC: dependency
HTCDS Excessive working hours      Coercion                         a method of control
HTCDS Withholds documents          Coercion
HTCDS Restricts movement           Coercion
HTCDS Other                        Coercion                         "other forms of coercion"
=================================  ===============================  ==========================

Two or more ILO indicators "yes" (any of the eleven) → purpose *Forced labour*.

The rules are versioned (``RULES_VERSION``): each screening stores the version it was computed
with, so a later change of the rules never rewrites what an earlier screening suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

RULES_VERSION = 1

ACT_LIST = "palermo_act"
MEANS_LIST = "palermo_means"
PURPOSE_LIST = "palermo_purpose"
ILO_LIST = "ilo_indicator"
CONTROL_LIST = "method_of_control"
# The code lists a screening asks about, in the order the form shows them.
SCREENING_LISTS = (ACT_LIST, MEANS_LIST, PURPOSE_LIST, ILO_LIST, CONTROL_LIST)

FORCED_LABOUR_THRESHOLD = 2
FORCED_LABOUR = f"{PURPOSE_LIST}:TPLB"

_FORCE = f"{MEANS_LIST}:TMUF"  # Threat or use of force
_COERCION = f"{MEANS_LIST}:TMCO"  # Coercion
_DECEPTION = f"{MEANS_LIST}:TMDC"  # Deception
_VULNERABILITY = f"{MEANS_LIST}:TMAP"  # Abuse of power or vulnerability

# Which Palermo means an indicator answered "yes" is evidence of (see the module docstring).
MEANS_FROM_INDICATORS: dict[str, str] = {
    f"{ILO_LIST}:VulnerabilityAbuse": _VULNERABILITY,
    f"{ILO_LIST}:Deception": _DECEPTION,
    f"{ILO_LIST}:MovementRestriction": _COERCION,
    f"{ILO_LIST}:Isolation": _VULNERABILITY,
    f"{ILO_LIST}:Violence": _FORCE,
    f"{ILO_LIST}:ThreatIntimidation": _COERCION,
    f"{ILO_LIST}:DocumentRetention": _COERCION,
    f"{ILO_LIST}:WageWithholding": _COERCION,
    f"{ILO_LIST}:DebtBondage": _COERCION,
    f"{CONTROL_LIST}:PhysicalThreats": _FORCE,
    f"{CONTROL_LIST}:ThreatsLawEnforcement": _COERCION,
    f"{CONTROL_LIST}:ThreatensChildrenFamily": _COERCION,
    f"{CONTROL_LIST}:DebtBondage": _COERCION,
    f"{CONTROL_LIST}:FalsePromises": _DECEPTION,
    f"{CONTROL_LIST}:PhysicalAbuse": _FORCE,
    f"{CONTROL_LIST}:SexualAbuse": _FORCE,
    f"{CONTROL_LIST}:TakesEarnings": _COERCION,
    f"{CONTROL_LIST}:RestrictsFinancialAccess": _COERCION,
    f"{CONTROL_LIST}:RestrictsMedicalCare": _COERCION,
    f"{CONTROL_LIST}:WithholdsNecessities": _COERCION,
    f"{CONTROL_LIST}:PsychologicalAbuse": _VULNERABILITY,
    f"{CONTROL_LIST}:PsychoactiveSubstance": _VULNERABILITY,
    f"{CONTROL_LIST}:ExcessiveWorkingHours": _COERCION,
    f"{CONTROL_LIST}:WithholdsDocuments": _COERCION,
    f"{CONTROL_LIST}:RestrictsMovement": _COERCION,
    f"{CONTROL_LIST}:Other": _COERCION,
}
# ILO indicators that point to no means on their own; they count towards forced labour only.
ILO_WITHOUT_MEANS = frozenset({f"{ILO_LIST}:WorkLiveConditions", f"{ILO_LIST}:ExcessiveOvertime"})


def key(list_name: str, code: str) -> str:
    """The key of one item in answers and reasons: ``"palermo_act:TARC"``."""
    return f"{list_name}:{code}"


def list_of(item_key: str) -> str:
    return item_key.partition(":")[0]


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Element(StrEnum):
    """The three elements of trafficking (Palermo Protocol art. 3(a))."""

    ACT = "act"
    MEANS = "means"
    PURPOSE = "purpose"


ELEMENT_LISTS = {Element.ACT: ACT_LIST, Element.MEANS: MEANS_LIST, Element.PURPOSE: PURPOSE_LIST}


class State(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class AgeGroup(StrEnum):
    """The person's age at the time of the act, as the screening treats it."""

    CHILD = "child"
    ADULT = "adult"
    APPEARS_CHILD = "appears_child"  # age unknown, appears to be a child: treated as a child
    UNKNOWN = "unknown"  # age unknown: the adult rule applies

    @property
    def treated_as_child(self) -> bool:
        return self in (AgeGroup.CHILD, AgeGroup.APPEARS_CHILD)


class Suggestion(StrEnum):
    PRESUMED_VICTIM = "presumed_victim"
    FURTHER_SCREENING = "further_screening"
    NOT_TRAFFICKING_REFER = "not_trafficking_refer"


class ReasonCode(StrEnum):
    # Which age rule applies.
    CHILD = "child"
    APPEARS_CHILD = "appears_child"
    ADULT = "adult"
    AGE_UNKNOWN = "age_unknown"
    # What is known of each element.
    PRESENT = "present"  # element, items answered "yes"
    INFERRED = "inferred"  # element, inferred item, the indicators pointing to it
    FORCED_LABOUR = "forced_labour"  # the ILO indicators that together point to forced labour
    SINGLE_ILO_INDICATOR = "single_ilo_indicator"  # one ILO indicator: purpose stays open
    ABSENT = "absent"  # element
    NOT_KNOWN = "not_known"  # element, items still unknown (none: nothing was asked)
    # Which conclusion rule applied.
    ALL_ELEMENTS = "all_elements"
    CHILD_MEANS_NOT_REQUIRED = "child_means_not_required"
    ADULT_WITHOUT_MEANS = "adult_without_means"
    ELEMENT_MISSING = "element_missing"  # elements: the required ones clearly absent
    INCOMPLETE = "incomplete"  # elements: the ones still not known


@dataclass(frozen=True)
class Reason:
    """One reason behind a suggestion, as data: a code and its parameters (never prose).

    Stored as JSON with the screening and worded in the reader's language by ``describe``.
    """

    code: ReasonCode
    element: Element | None = None
    items: tuple[str, ...] = ()
    inferred: str = ""
    elements: tuple[Element, ...] = ()

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code.value}
        if self.element:
            data["element"] = self.element.value
        if self.items:
            data["items"] = list(self.items)
        if self.inferred:
            data["inferred"] = self.inferred
        if self.elements:
            data["elements"] = [element.value for element in self.elements]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        return cls(
            code=ReasonCode(data["code"]),
            element=Element(data["element"]) if data.get("element") else None,
            items=tuple(data.get("items", ())),
            inferred=data.get("inferred", ""),
            elements=tuple(Element(element) for element in data.get("elements", ())),
        )


@dataclass(frozen=True)
class Result:
    suggestion: Suggestion
    reasons: tuple[Reason, ...]
    states: Mapping[Element, State] = field(default_factory=dict)


def suggest(answers: Mapping[str, Answer | str], age: AgeGroup | str) -> Result:
    """Apply the rules to ``answers`` (item key → yes/no/unknown) for a person of ``age``."""
    # Reasons list items in questionnaire order: lists as in SCREENING_LISTS, items as given.
    order = {name: index for index, name in enumerate(SCREENING_LISTS)}
    given: dict[str, Answer] = {
        item: Answer(value)
        for item, value in sorted(
            answers.items(), key=lambda pair: order.get(list_of(pair[0]), len(order))
        )
    }
    age = AgeGroup(age)
    reasons: list[Reason] = [Reason(_AGE_REASONS[age])]

    act = _element_state(given, Element.ACT, reasons)
    means = _means_state(given, reasons)
    purpose = _purpose_state(given, reasons)
    states = {Element.ACT: act, Element.MEANS: means, Element.PURPOSE: purpose}

    child = age.treated_as_child
    present = State.PRESENT
    if act is present and purpose is present and (means is present or child):
        if means is present:
            reasons.append(Reason(ReasonCode.ALL_ELEMENTS))
        else:
            reasons.append(Reason(ReasonCode.CHILD_MEANS_NOT_REQUIRED))
        return Result(Suggestion.PRESUMED_VICTIM, tuple(reasons), states)
    if act is present and purpose is present:
        reasons.append(Reason(ReasonCode.ADULT_WITHOUT_MEANS))
        return Result(Suggestion.FURTHER_SCREENING, tuple(reasons), states)

    required = (Element.ACT, Element.PURPOSE) if child else tuple(Element)
    open_elements = tuple(element for element in required if states[element] is State.UNKNOWN)
    missing = tuple(e for e in (Element.ACT, Element.PURPOSE) if states[e] is State.ABSENT)
    if missing and not open_elements:
        reasons.append(Reason(ReasonCode.ELEMENT_MISSING, elements=missing))
        return Result(Suggestion.NOT_TRAFFICKING_REFER, tuple(reasons), states)
    reasons.append(Reason(ReasonCode.INCOMPLETE, elements=open_elements))
    return Result(Suggestion.FURTHER_SCREENING, tuple(reasons), states)


_AGE_REASONS = {
    AgeGroup.CHILD: ReasonCode.CHILD,
    AgeGroup.APPEARS_CHILD: ReasonCode.APPEARS_CHILD,
    AgeGroup.ADULT: ReasonCode.ADULT,
    AgeGroup.UNKNOWN: ReasonCode.AGE_UNKNOWN,
}


def _of_list(answers: Mapping[str, Answer], list_name: str) -> dict[str, Answer]:
    return {item: value for item, value in answers.items() if list_of(item) == list_name}


def _with(answers: Mapping[str, Answer], value: Answer) -> tuple[str, ...]:
    return tuple(item for item, answer in answers.items() if answer is value)


def _element_state(
    answers: Mapping[str, Answer],
    element: Element,
    reasons: list[Reason],
    *,
    inferred: bool = False,
    evidence_unknown: tuple[str, ...] = (),
    evidence_open: bool = False,
) -> State:
    """The state of an element from its own items and the indicators that could point to it.

    ``inferred``: indicators already make the element present (the caller words why);
    ``evidence_unknown``: indicators that could point to it but are unknown, which keep it open;
    ``evidence_open``: indicators keep it open for another reason (the caller words why).
    """
    own = _of_list(answers, ELEMENT_LISTS[element])
    yes = _with(own, Answer.YES)
    if yes:
        reasons.append(Reason(ReasonCode.PRESENT, element, yes))
    if yes or inferred:
        return State.PRESENT
    unknown = _with(own, Answer.UNKNOWN) + evidence_unknown
    if own and not unknown and not evidence_open:
        reasons.append(Reason(ReasonCode.ABSENT, element))
        return State.ABSENT
    if unknown or not own:
        reasons.append(Reason(ReasonCode.NOT_KNOWN, element, unknown))
    return State.UNKNOWN


def _means_state(answers: Mapping[str, Answer], reasons: list[Reason]) -> State:
    evidence = {item: value for item, value in answers.items() if item in MEANS_FROM_INDICATORS}
    pointing: dict[str, list[str]] = {}
    for item in _with(evidence, Answer.YES):
        pointing.setdefault(MEANS_FROM_INDICATORS[item], []).append(item)
    state = _element_state(
        answers,
        Element.MEANS,
        reasons,
        inferred=bool(pointing),
        evidence_unknown=_with(evidence, Answer.UNKNOWN),
    )
    for means, items in pointing.items():
        reasons.append(Reason(ReasonCode.INFERRED, Element.MEANS, tuple(items), inferred=means))
    return state


def _purpose_state(answers: Mapping[str, Answer], reasons: list[Reason]) -> State:
    ilo = _of_list(answers, ILO_LIST)
    ilo_yes = _with(ilo, Answer.YES)
    forced_labour = len(ilo_yes) >= FORCED_LABOUR_THRESHOLD
    state = _element_state(
        answers,
        Element.PURPOSE,
        reasons,
        inferred=forced_labour,
        evidence_unknown=_with(ilo, Answer.UNKNOWN),
        # A single indicator may in some cases imply forced labour: it keeps the purpose open.
        evidence_open=bool(ilo_yes),
    )
    if forced_labour:
        reasons.append(
            Reason(ReasonCode.FORCED_LABOUR, Element.PURPOSE, ilo_yes, inferred=FORCED_LABOUR)
        )
    elif ilo_yes and state is not State.PRESENT:
        reasons.append(Reason(ReasonCode.SINGLE_ILO_INDICATOR, Element.PURPOSE, ilo_yes))
    return state


# Wording: reasons are stored as codes and worded here, in the reader's language.


def describe(reason: Reason, label: Callable[[str], str]) -> str:
    """Word one reason for people; ``label`` names an item key in the active language."""
    items = ", ".join(label(item) for item in reason.items)
    count = len(reason.items)
    code = reason.code
    if code is ReasonCode.CHILD:
        return _(
            "Under 18 at the time: a child. The act and the purpose are enough; the means are "
            "not required (Palermo Protocol, article 3(c) and (d))."
        )
    if code is ReasonCode.APPEARS_CHILD:
        return _(
            "Age unknown, but the person appears to be a child: treated as a child, so the "
            "means are not required. A person who may be under 18 is presumed to be a child."
        )
    if code is ReasonCode.ADULT:
        return _(
            "18 or over at the time: the act, the means and the purpose must all be present "
            "(Palermo Protocol, article 3(a))."
        )
    if code is ReasonCode.AGE_UNKNOWN:
        return _(
            "Age unknown: the rule for adults applies (act, means and purpose). If the person "
            "may be under 18, record that they appear to be a child."
        )
    if code is ReasonCode.PRESENT:
        return {
            Element.ACT: _("Act present: %(items)s."),
            Element.MEANS: _("Means present: %(items)s."),
            Element.PURPOSE: _("Purpose present: %(items)s."),
        }[_element(reason)] % {"items": items}
    if code is ReasonCode.INFERRED:
        return ngettext(
            "Means present: %(items)s points to the means “%(means)s”.",
            "Means present: %(items)s point to the means “%(means)s”.",
            count,
        ) % {
            "items": ", ".join(_indicator(item, label) for item in reason.items),
            "means": label(reason.inferred),
        }
    if code is ReasonCode.FORCED_LABOUR:
        return _(
            "Purpose present: %(count)d ILO indicators of forced labour together point to "
            "forced labour: %(items)s."
        ) % {"count": count, "items": items}
    if code is ReasonCode.SINGLE_ILO_INDICATOR:
        return _(
            "One ILO indicator of forced labour (%(items)s): on its own it may not show forced "
            "labour. Look for other indicators."
        ) % {"items": items}
    if code is ReasonCode.ABSENT:
        return {
            Element.ACT: _("No act: every question about the act was answered “no”."),
            Element.MEANS: _("No means: every question about the means was answered “no”."),
            Element.PURPOSE: _(
                "No purpose of exploitation: every question about the purpose was answered “no”."
            ),
        }[_element(reason)]
    if code is ReasonCode.NOT_KNOWN:
        if not reason.items:
            return {
                Element.ACT: _("Act not known: no question about the act was answered."),
                Element.MEANS: _("Means not known: no question about the means was answered."),
                Element.PURPOSE: _(
                    "Purpose not known: no question about the purpose was answered."
                ),
            }[_element(reason)]
        own_list = ELEMENT_LISTS[_element(reason)]
        own = [label(item) for item in reason.items if list_of(item) == own_list]
        indicators = len(reason.items) - len(own)
        sentences = [
            {
                Element.ACT: _("Act not known yet."),
                Element.MEANS: _("Means not known yet."),
                Element.PURPOSE: _("Purpose not known yet."),
            }[_element(reason)]
        ]
        if own:
            sentences.append(_("Still unknown: %(items)s.") % {"items": ", ".join(own)})
        if indicators:
            sentences.append(
                ngettext(
                    "%(count)d indicator that could show it is unknown too.",
                    "%(count)d indicators that could show it are unknown too.",
                    indicators,
                )
                % {"count": indicators}
            )
        return " ".join(str(sentence) for sentence in sentences)
    if code is ReasonCode.ALL_ELEMENTS:
        return _("Rule applied: the act, the means and the purpose are all present.")
    if code is ReasonCode.CHILD_MEANS_NOT_REQUIRED:
        return _("Rule applied: child, means not required. The act and the purpose are present.")
    if code is ReasonCode.ADULT_WITHOUT_MEANS:
        return _(
            "Rule applied: for an adult the means are needed too, and none was identified. "
            "Screen further: means are often told later, once the person feels safe."
        )
    if code is ReasonCode.ELEMENT_MISSING:
        return _(
            "Rule applied: every element needed was answered, and this is clearly absent: "
            "%(elements)s. This does not look like trafficking: refer the person to the service "
            "they need."
        ) % {"elements": _element_list(reason.elements)}
    if code is ReasonCode.INCOMPLETE:
        return _(
            "Rule applied: not established yet: %(elements)s. Screen further before deciding."
        ) % {"elements": _element_list(reason.elements) or _("some elements")}
    raise ValueError(f"No wording for reason {code}")


def _indicator(item: str, label: Callable[[str], str]) -> str:
    """Name an indicator with its kind: the ILO's "Deception" is not the means "Deception"."""
    if list_of(item) == ILO_LIST:
        return _("the ILO indicator “%(name)s”") % {"name": label(item)}
    if list_of(item) == CONTROL_LIST:
        return _("the method of control “%(name)s”") % {"name": label(item)}
    return label(item)


def _element(reason: Reason) -> Element:
    assert reason.element is not None, reason
    return reason.element


def _element_list(elements: Iterable[Element]) -> str:
    names = {Element.ACT: _("act"), Element.MEANS: _("means"), Element.PURPOSE: _("purpose")}
    return ", ".join(str(names[element]) for element in elements)
