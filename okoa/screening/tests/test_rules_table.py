"""The rule engine, case by case: answers and age in, suggestion out (no database)."""

import pytest

from okoa.screening.rules import AgeGroup, Element, State, Suggestion, suggest

from .engine import answers, shipped_keys

RECRUITMENT = "palermo_act:TARC"
HARBOURING = "palermo_act:TAHB"
FORCE = "palermo_means:TMUF"
DECEPTION = "palermo_means:TMDC"
SEXUAL_EXPLOITATION = "palermo_purpose:TPSE"
FORCED_LABOUR = "palermo_purpose:TPLB"
ILO_DECEPTION = "ilo_indicator:Deception"
ILO_DOCUMENTS = "ilo_indicator:DocumentRetention"
ILO_WAGES = "ilo_indicator:WageWithholding"
ILO_OVERTIME = "ilo_indicator:ExcessiveOvertime"
ILO_CONDITIONS = "ilo_indicator:WorkLiveConditions"
CONTROL_DEBT = "method_of_control:DebtBondage"
CONTROL_PROMISES = "method_of_control:FalsePromises"

PRESUMED = Suggestion.PRESUMED_VICTIM
FURTHER = Suggestion.FURTHER_SCREENING
REFER = Suggestion.NOT_TRAFFICKING_REFER
ADULT, CHILD = AgeGroup.ADULT, AgeGroup.CHILD
APPEARS_CHILD, AGE_UNKNOWN = AgeGroup.APPEARS_CHILD, AgeGroup.UNKNOWN

# (what the row shows, answers, age group, expected suggestion)
TABLE = [
    # All three elements answered "yes" directly.
    (
        "adult, act + means + purpose",
        answers(yes=(RECRUITMENT, FORCE, SEXUAL_EXPLOITATION)),
        ADULT,
        PRESUMED,
    ),
    (
        "child, act + means + purpose",
        answers(yes=(RECRUITMENT, FORCE, SEXUAL_EXPLOITATION)),
        CHILD,
        PRESUMED,
    ),
    # The child rule: the means are not required.
    (
        "child, act + purpose, no means",
        answers(yes=(RECRUITMENT, SEXUAL_EXPLOITATION)),
        CHILD,
        PRESUMED,
    ),
    (
        "appears a child, act + purpose, no means",
        answers(yes=(RECRUITMENT, SEXUAL_EXPLOITATION)),
        APPEARS_CHILD,
        PRESUMED,
    ),
    (
        "adult, act + purpose, no means",
        answers(yes=(RECRUITMENT, SEXUAL_EXPLOITATION)),
        ADULT,
        FURTHER,
    ),
    (
        "age unknown, act + purpose, no means",
        answers(yes=(RECRUITMENT, SEXUAL_EXPLOITATION)),
        AGE_UNKNOWN,
        FURTHER,
    ),
    (
        "adult, act + purpose, means unknown",
        answers(yes=(RECRUITMENT, FORCED_LABOUR), unknown=(FORCE,)),
        ADULT,
        FURTHER,
    ),
    (
        "child, act + purpose, means all unknown",
        answers(yes=(RECRUITMENT, FORCED_LABOUR), unknown=tuple(shipped_keys("palermo_means"))),
        CHILD,
        PRESUMED,
    ),
    # Indicators as evidence of the means.
    (
        "adult, ILO deception counts as means",
        answers(yes=(RECRUITMENT, ILO_DECEPTION, FORCED_LABOUR)),
        ADULT,
        PRESUMED,
    ),
    (
        "adult, HTCDS debt bondage counts as means",
        answers(yes=(HARBOURING, CONTROL_DEBT, SEXUAL_EXPLOITATION)),
        ADULT,
        PRESUMED,
    ),
    (
        "adult, HTCDS false promises counts as means",
        answers(yes=(RECRUITMENT, CONTROL_PROMISES, FORCED_LABOUR)),
        ADULT,
        PRESUMED,
    ),
    (
        "adult, means answered no but an indicator says yes",
        answers(yes=(RECRUITMENT, ILO_DOCUMENTS, SEXUAL_EXPLOITATION)),
        ADULT,
        PRESUMED,
    ),
    # ILO indicators combined as evidence of the purpose (forced labour).
    (
        "adult, two ILO indicators give means and forced labour",
        answers(yes=(RECRUITMENT, ILO_DOCUMENTS, ILO_WAGES)),
        ADULT,
        PRESUMED,
    ),
    (
        "adult, two ILO indicators without means: purpose only",
        answers(yes=(RECRUITMENT, ILO_OVERTIME, ILO_CONDITIONS)),
        ADULT,
        FURTHER,
    ),
    (
        "child, two ILO indicators without means",
        answers(yes=(RECRUITMENT, ILO_OVERTIME, ILO_CONDITIONS)),
        CHILD,
        PRESUMED,
    ),
    (
        "adult, one ILO indicator keeps the purpose open",
        answers(yes=(RECRUITMENT, ILO_DOCUMENTS)),
        ADULT,
        FURTHER,
    ),
    (
        "child, one ILO indicator keeps the purpose open",
        answers(yes=(RECRUITMENT, ILO_OVERTIME)),
        CHILD,
        FURTHER,
    ),
    # Partly present or unknown: further screening.
    (
        "adult, act only, the rest unknown",
        answers(yes=(RECRUITMENT,), rest="unknown"),
        ADULT,
        FURTHER,
    ),
    (
        "child, act only, the rest unknown",
        answers(yes=(RECRUITMENT,), rest="unknown"),
        CHILD,
        FURTHER,
    ),
    ("adult, everything unknown", answers(rest="unknown"), ADULT, FURTHER),
    ("adult, nothing asked at all", {}, ADULT, FURTHER),
    (
        "adult, act no, purpose unknown",
        answers(unknown=tuple(shipped_keys("palermo_purpose"))),
        ADULT,
        FURTHER,
    ),
    (
        "adult, no act, purpose present, means unknown",
        answers(yes=(FORCED_LABOUR,), unknown=(FORCE,)),
        ADULT,
        FURTHER,
    ),
    (
        "adult, no purpose but an ILO indicator unknown",
        answers(yes=(RECRUITMENT, FORCE), unknown=(ILO_WAGES,)),
        ADULT,
        FURTHER,
    ),
    # Every element answered and the act or the purpose clearly absent: refer elsewhere.
    ("adult, everything no", answers(), ADULT, REFER),
    ("child, everything no", answers(), CHILD, REFER),
    ("adult, act + means, no purpose", answers(yes=(RECRUITMENT, FORCE)), ADULT, REFER),
    ("adult, means + purpose, no act", answers(yes=(FORCE, FORCED_LABOUR)), ADULT, REFER),
    ("child, purpose, no act", answers(yes=(SEXUAL_EXPLOITATION,)), CHILD, REFER),
    (
        "child, act, no purpose, means unknown",
        answers(yes=(RECRUITMENT,), unknown=tuple(shipped_keys("palermo_means"))),
        CHILD,
        REFER,
    ),
    (
        "age unknown, act + means, no purpose",
        answers(yes=(RECRUITMENT, DECEPTION)),
        AGE_UNKNOWN,
        REFER,
    ),
]


@pytest.mark.parametrize(
    ("answered", "age", "expected"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_the_suggestion_follows_the_rules(answered, age, expected):
    assert suggest(answered, age).suggestion is expected


def test_element_states_are_reported_with_the_suggestion():
    result = suggest(answers(yes=(RECRUITMENT,), unknown=(FORCE,)), ADULT)

    assert result.states == {
        Element.ACT: State.PRESENT,
        Element.MEANS: State.UNKNOWN,
        Element.PURPOSE: State.ABSENT,
    }


def test_an_unknown_answer_outweighs_no_but_never_yes():
    with_unknowns = answers(yes=(RECRUITMENT, FORCE, FORCED_LABOUR), rest="unknown")

    assert suggest(with_unknowns, ADULT).suggestion is PRESUMED
