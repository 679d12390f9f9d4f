"""Every shipped ILO indicator and method of control has a documented meaning for the rules."""

from okoa.screening import rules

from .engine import shipped_keys


def test_every_method_of_control_counts_as_a_means():
    assert set(shipped_keys(rules.CONTROL_LIST)) <= set(rules.MEANS_FROM_INDICATORS)


def test_every_ilo_indicator_points_to_a_means_or_counts_towards_forced_labour_only():
    ilo = set(shipped_keys(rules.ILO_LIST))

    assert ilo == (ilo & set(rules.MEANS_FROM_INDICATORS)) | rules.ILO_WITHOUT_MEANS
    assert not rules.ILO_WITHOUT_MEANS & set(rules.MEANS_FROM_INDICATORS)


def test_every_mapping_points_to_a_shipped_palermo_item():
    means = set(shipped_keys(rules.MEANS_LIST))

    assert set(rules.MEANS_FROM_INDICATORS.values()) <= means
    assert rules.FORCED_LABOUR in shipped_keys(rules.PURPOSE_LIST)
    assert set(rules.MEANS_FROM_INDICATORS) <= set(shipped_keys())


def test_the_model_choices_are_the_rule_values():
    from okoa.screening.models import AgeGroup, Conclusion, ScreeningAnswer

    assert set(Conclusion.values) == {value.value for value in rules.Suggestion}
    assert set(AgeGroup.values) == {value.value for value in rules.AgeGroup}
    assert set(ScreeningAnswer.Value.values) == {value.value for value in rules.Answer}
