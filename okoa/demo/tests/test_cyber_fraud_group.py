from collections import Counter

from okoa.cases.models import Case
from okoa.demo import data


def group_cases():
    return Case.objects.filter(countries_of_exploitation__code="MM").select_related(
        "person__nationality"
    )


def test_the_group_rescued_from_myanmar_is_31_people_each_with_a_case(demo_output):
    cases = list(group_cases())

    assert len(cases) == 31
    assert len({case.person_id for case in cases}) == 31
    assert {case.organisation.reference_prefix for case in cases} == {
        data.MAIN_NGO.reference_prefix
    }


def test_the_group_is_16_men_and_15_women(demo_output):
    assert Counter(case.person.sex for case in group_cases()) == {"male": 16, "female": 15}


def test_the_group_is_29_kenyans_a_ugandan_and_a_burundian(demo_output):
    nationalities = Counter(case.person.nationality.code for case in group_cases())

    assert nationalities == {"KE": 29, "UG": 1, "BI": 1}


def test_the_group_cases_are_transnational_via_thailand_with_forced_labour(demo_output):
    for case in group_cases():
        assert case.scope == Case.Scope.TRANSNATIONAL
        assert list(case.countries_of_transit.values_list("code", flat=True)) == ["TH"]
        assert "ForcedLabour" in case.exploitation_types.values_list("code", flat=True)
        assert {"WithholdsDocuments", "DebtBondage"} <= set(
            case.methods_of_control.values_list("code", flat=True)
        )
        assert case.narrative
