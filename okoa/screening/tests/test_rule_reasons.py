"""The reasons name the elements present (with their items), the ones missing or unknown and
the rule applied; they are stored as codes and worded in the reader's language."""

import pytest
from django.utils import translation

from okoa.screening.rules import (
    AgeGroup,
    Element,
    Reason,
    ReasonCode,
    describe,
    suggest,
)

from .engine import answers


def by_code(result, code):
    return [reason for reason in result.reasons if reason.code is code]


def test_present_elements_list_the_items_answered_yes():
    result = suggest(
        answers(
            yes=(
                "palermo_act:TARC",
                "palermo_act:TATS",
                "palermo_means:TMFR",
                "palermo_purpose:TPSE",
            )
        ),
        AgeGroup.ADULT,
    )

    present = {reason.element: reason.items for reason in by_code(result, ReasonCode.PRESENT)}
    assert present == {
        Element.ACT: ("palermo_act:TARC", "palermo_act:TATS"),
        Element.MEANS: ("palermo_means:TMFR",),
        Element.PURPOSE: ("palermo_purpose:TPSE",),
    }
    assert by_code(result, ReasonCode.ALL_ELEMENTS)


def test_indicators_pointing_to_a_means_are_named_with_the_means_they_show():
    result = suggest(
        answers(
            yes=(
                "palermo_act:TARC",
                "ilo_indicator:Deception",
                "method_of_control:FalsePromises",
                "method_of_control:WithholdsDocuments",
                "palermo_purpose:TPLB",
            )
        ),
        AgeGroup.ADULT,
    )

    inferred = {reason.inferred: reason.items for reason in by_code(result, ReasonCode.INFERRED)}
    assert inferred == {
        "palermo_means:TMDC": ("ilo_indicator:Deception", "method_of_control:FalsePromises"),
        "palermo_means:TMCO": ("method_of_control:WithholdsDocuments",),
    }


def test_two_ilo_indicators_are_named_as_pointing_to_forced_labour():
    result = suggest(
        answers(
            yes=("palermo_act:TARC", "ilo_indicator:WageWithholding", "ilo_indicator:DebtBondage")
        ),
        AgeGroup.ADULT,
    )

    [forced_labour] = by_code(result, ReasonCode.FORCED_LABOUR)
    assert forced_labour.items == ("ilo_indicator:WageWithholding", "ilo_indicator:DebtBondage")
    assert forced_labour.inferred == "palermo_purpose:TPLB"


def test_a_single_ilo_indicator_is_named_as_not_enough_on_its_own():
    result = suggest(answers(yes=("palermo_act:TARC", "ilo_indicator:Isolation")), AgeGroup.CHILD)

    [single] = by_code(result, ReasonCode.SINGLE_ILO_INDICATOR)
    assert single.items == ("ilo_indicator:Isolation",)
    [incomplete] = by_code(result, ReasonCode.INCOMPLETE)
    assert incomplete.elements == (Element.PURPOSE,)


def test_unknown_elements_list_what_is_still_unknown():
    result = suggest(
        answers(
            yes=("palermo_act:TARC",), unknown=("palermo_means:TMUF", "method_of_control:Other")
        ),
        AgeGroup.ADULT,
    )

    [means] = [r for r in by_code(result, ReasonCode.NOT_KNOWN) if r.element is Element.MEANS]
    assert means.items == ("palermo_means:TMUF", "method_of_control:Other")
    [incomplete] = by_code(result, ReasonCode.INCOMPLETE)
    assert incomplete.elements == (Element.MEANS,)


def test_a_clearly_absent_element_is_named_when_referring_elsewhere():
    result = suggest(answers(yes=("palermo_purpose:TPLB", "palermo_means:TMCO")), AgeGroup.ADULT)

    assert [r.element for r in by_code(result, ReasonCode.ABSENT)] == [Element.ACT]
    [missing] = by_code(result, ReasonCode.ELEMENT_MISSING)
    assert missing.elements == (Element.ACT,)


def test_reasons_survive_a_trip_through_json():
    result = suggest(answers(yes=("palermo_act:TARC", "ilo_indicator:Deception")), AgeGroup.UNKNOWN)

    assert tuple(Reason.from_json(reason.as_json()) for reason in result.reasons) == result.reasons


LABELS = {
    "palermo_act:TARC": "Recruitment",
    "palermo_means:TMDC": "Deception",
    "ilo_indicator:Deception": "Deception (ILO)",
}


@pytest.mark.parametrize("code", list(ReasonCode))
def test_every_reason_has_words(code):
    reason = Reason(
        code,
        element=Element.ACT,
        items=("palermo_act:TARC",),
        inferred="palermo_means:TMDC",
        elements=(Element.ACT, Element.PURPOSE),
    )

    text = describe(reason, lambda key: LABELS.get(key, key))

    assert text.strip()
    assert "%(" not in text


def test_the_child_rule_says_the_means_are_not_required():
    result = suggest({"palermo_act:TARC": "yes", "palermo_purpose:TPSE": "yes"}, AgeGroup.CHILD)

    with translation.override("en"):
        words = [describe(reason, lambda key: LABELS.get(key, key)) for reason in result.reasons]

    assert "Act present: Recruitment." in words
    assert "Rule applied: child, means not required. The act and the purpose are present." in words


def test_an_indicator_is_named_with_its_kind_so_it_is_not_mistaken_for_the_means():
    reason = Reason(
        ReasonCode.INFERRED,
        Element.MEANS,
        ("ilo_indicator:Deception",),
        inferred="palermo_means:TMDC",
    )

    with translation.override("en"):
        text = describe(
            reason, lambda key: {"ilo_indicator:Deception": "Deception"}.get(key, "Deception")
        )

    assert text == "Means present: the ILO indicator “Deception” points to the means “Deception”."


def test_an_open_element_names_its_own_questions_and_counts_the_indicators():
    reason = Reason(
        ReasonCode.NOT_KNOWN,
        Element.MEANS,
        ("palermo_means:TMUF", "ilo_indicator:Isolation", "method_of_control:Other"),
    )

    with translation.override("en"):
        text = describe(
            reason, lambda key: {"palermo_means:TMUF": "Threat or use of force"}.get(key, key)
        )

    assert text == (
        "Means not known yet. Still unknown: Threat or use of force. "
        "2 indicators that could show it are unknown too."
    )
