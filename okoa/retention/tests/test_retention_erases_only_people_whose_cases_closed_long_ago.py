"""``manage.py apply_retention`` erases people none of whose cases is open and whose last case
closed longer ago than their organisation's retention period; nobody else."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from okoa.cases.actions import open_case
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.retention.actions import set_retention_policy
from okoa.retention.models import Erasure
from okoa.retention.tests.conftest import close_days_ago


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def erased(person: Person) -> bool:
    person.refresh_from_db()
    return person.erased_at is not None


@pytest.fixture
def year_policy(cast):
    return set_retention_policy(cast.ngo, closed_case_retention_days=365, by=cast.admin)


def test_a_case_closed_longer_ago_than_the_period_is_erased(cast, make_case, year_policy):
    case = make_case()
    close_days_ago(case, 400)

    output = run()

    assert erased(case.person)
    assert Erasure.objects.get(person=case.person).reason == "retention"
    assert Erasure.objects.get(person=case.person).by is None
    assert "TUM: 1 people erased" in output


def test_a_case_closed_recently_is_kept(cast, make_case, year_policy):
    case = make_case()
    close_days_ago(case, 300)

    run()

    assert not erased(case.person)


def test_an_open_case_keeps_the_person_even_if_an_older_one_expired(cast, make_case, year_policy):
    old = make_case()
    close_days_ago(old, 900)
    open_case(old.person, by=cast.caseworker)

    run()

    assert not erased(old.person)


def test_the_last_closed_case_counts(cast, make_case, year_policy):
    old = make_case()
    close_days_ago(old, 900)
    newer = open_case(old.person, by=cast.caseworker)
    close_days_ago(newer, 100)

    run()

    assert not erased(old.person)


def test_a_person_without_any_case_is_kept(cast, year_policy):
    person = create_person(cast.ngo, by=cast.caseworker, given_name="Chebet")

    run()

    assert not erased(person)


def test_an_organisation_without_a_period_keeps_everybody(cast, make_case, year_policy):
    case = make_case(organisation=cast.partner)
    close_days_ago(case, 5000)
    set_retention_policy(cast.partner, closed_case_retention_days=None, by=None)

    output = run()

    assert not erased(case.person)
    assert "MWA: no retention period set" in output


def test_a_dependant_without_cases_goes_with_the_survivor(cast, make_case, year_policy):
    case = make_case()
    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Tumaini",
        parent=case.person,
        relationship_to_parent="child",
    )
    close_days_ago(case, 400)

    run()

    assert erased(case.person) and erased(child)


def test_a_dependant_with_an_open_case_of_their_own_is_kept(cast, make_case, year_policy):
    case = make_case()
    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Tumaini",
        parent=case.person,
        relationship_to_parent="child",
    )
    open_case(child, by=cast.caseworker)
    close_days_ago(case, 400)

    run()

    assert erased(case.person) and not erased(child)


def test_only_the_organisation_asked_for_is_processed(cast, make_case, year_policy):
    ours, theirs = make_case(), make_case(organisation=cast.partner)
    set_retention_policy(cast.partner, closed_case_retention_days=30, by=None)
    close_days_ago(ours, 400)
    close_days_ago(theirs, 400)

    output = run("--organisation", "mwa")

    assert erased(theirs.person) and not erased(ours.person)
    assert "TUM" not in output


def test_an_unknown_organisation_is_an_error(cast):
    with pytest.raises(CommandError):
        run("--organisation", "XYZ")


def test_the_output_names_nobody(cast, make_case, year_policy):
    case = make_case(given_name="Nyambura", family_name="Gathoni")
    close_days_ago(case, 400)

    output = run()

    assert "Nyambura" not in output and "Gathoni" not in output
    assert case.person.code not in output
