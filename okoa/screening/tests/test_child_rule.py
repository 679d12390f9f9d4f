"""For a child, act and purpose suffice without any means (Palermo Protocol art. 3(c), (d))."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from okoa.screening.rules import AgeGroup, ReasonCode, Suggestion, suggest

from .engine import answers

ACT_AND_PURPOSE = answers(yes=("palermo_act:TATS", "palermo_purpose:TPSE"))
ACT_AND_PURPOSE_ONLY = {"palermo_act:TATS": "yes", "palermo_purpose:TPSE": "yes"}


def codes(result):
    return [reason.code for reason in result.reasons]


def test_a_child_with_act_and_purpose_and_no_means_is_a_presumed_victim():
    result = suggest(ACT_AND_PURPOSE, AgeGroup.CHILD)

    assert result.suggestion is Suggestion.PRESUMED_VICTIM
    assert codes(result)[0] is ReasonCode.CHILD
    assert codes(result)[-1] is ReasonCode.CHILD_MEANS_NOT_REQUIRED


def test_the_same_answers_for_an_adult_need_further_screening():
    result = suggest(ACT_AND_PURPOSE, AgeGroup.ADULT)

    assert result.suggestion is Suggestion.FURTHER_SCREENING
    assert codes(result)[0] is ReasonCode.ADULT
    assert codes(result)[-1] is ReasonCode.ADULT_WITHOUT_MEANS


def test_a_child_needs_no_means_questions_answered_at_all():
    assert suggest(ACT_AND_PURPOSE_ONLY, AgeGroup.CHILD).suggestion is Suggestion.PRESUMED_VICTIM


def test_a_person_of_unknown_age_who_appears_to_be_a_child_is_treated_as_a_child():
    result = suggest(ACT_AND_PURPOSE, AgeGroup.APPEARS_CHILD)

    assert result.suggestion is Suggestion.PRESUMED_VICTIM
    assert codes(result)[0] is ReasonCode.APPEARS_CHILD


def test_a_person_of_unknown_age_gets_the_adult_rule_and_is_told_why():
    result = suggest(ACT_AND_PURPOSE, AgeGroup.UNKNOWN)

    assert result.suggestion is Suggestion.FURTHER_SCREENING
    assert codes(result)[0] is ReasonCode.AGE_UNKNOWN


def test_a_child_with_means_too_is_a_presumed_victim_by_the_full_rule():
    result = suggest(
        answers(yes=("palermo_act:TATS", "palermo_means:TMAD", "palermo_purpose:TPSE")),
        AgeGroup.CHILD,
    )

    assert result.suggestion is Suggestion.PRESUMED_VICTIM
    assert codes(result)[-1] is ReasonCode.ALL_ELEMENTS


# The rule through the action: the age comes from the person's record.


def years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.mark.django_db
def test_a_child_on_record_is_screened_as_a_child(make_case, screen):
    case = make_case(date_of_birth=years_ago(15))

    screening = screen(case, ACT_AND_PURPOSE_ONLY)

    assert screening.age_group == "child"
    assert screening.age_group_on_record == "child"
    assert screening.is_child
    assert screening.suggestion == "presumed_victim"


@pytest.mark.django_db
def test_a_person_recruited_as_a_child_is_a_child_victim_even_when_screened_as_an_adult(
    make_case, screen
):
    case = make_case(date_of_birth=years_ago(20), recruited_on=years_ago(4))

    screening = screen(case, ACT_AND_PURPOSE_ONLY)

    assert screening.age_group == "child"
    assert screening.suggestion == "presumed_victim"


@pytest.mark.django_db
def test_an_adult_on_record_needs_the_means(make_case, screen):
    case = make_case(date_of_birth=years_ago(30))

    screening = screen(case, ACT_AND_PURPOSE_ONLY)

    assert screening.age_group == "adult"
    assert screening.suggestion == "further_screening"


@pytest.mark.django_db
def test_the_screener_may_say_a_person_of_unknown_age_appears_to_be_a_child(make_case, screen):
    case = make_case(date_of_birth=None)

    screening = screen(case, ACT_AND_PURPOSE_ONLY, age_group="appears_child")

    assert screening.age_group_on_record == "unknown"
    assert screening.age_group == "appears_child"
    assert screening.suggestion == "presumed_victim"


@pytest.mark.django_db
def test_the_screener_may_overrule_an_adult_date_of_birth_that_looks_forged(make_case, screen):
    case = make_case(date_of_birth=years_ago(25))

    screening = screen(case, ACT_AND_PURPOSE_ONLY, age_group="appears_child")

    assert screening.age_group_on_record == "adult"
    assert screening.suggestion == "presumed_victim"


@pytest.mark.django_db
def test_a_child_on_record_cannot_be_screened_as_an_adult(make_case, screen):
    case = make_case(date_of_birth=years_ago(16))

    with pytest.raises(ValidationError) as refused:
        screen(case, ACT_AND_PURPOSE_ONLY, age_group="adult")

    assert "age_group" in refused.value.error_dict
    assert not case.screenings.exists()
