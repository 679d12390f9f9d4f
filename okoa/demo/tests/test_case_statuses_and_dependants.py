from okoa.cases.models import Case, CaseEvent, CaseNote
from okoa.people.models import Person


def test_demo_cases_are_in_every_status(demo_output):
    statuses = set(Case.objects.values_list("status", flat=True))

    assert statuses == set(Case.Status.values)


def test_demo_cases_reached_their_status_through_the_lifecycle(demo_output):
    closed = Case.objects.filter(status=Case.Status.CLOSED)

    assert closed.exists()
    for case in closed:
        steps = list(
            case.events.filter(kind=CaseEvent.Kind.STATUS_CHANGED)
            .order_by("at", "id")
            .values_list("data__to", flat=True)
        )
        assert steps == ["in_care", "closure_requested", "closed"]


def test_every_demo_case_is_assigned_and_some_have_notes(demo_output):
    assert not Case.objects.filter(assigned_to__isnull=True).exists()
    assert CaseNote.objects.exists()


def test_some_demo_survivors_have_dependants_without_cases_of_their_own(demo_output):
    dependants = Person.objects.filter(parent__isnull=False)

    assert dependants.filter(relationship_to_parent=Person.Relationship.CHILD).count() >= 2
    assert not Case.objects.filter(person__in=dependants).exists()


def test_there_are_in_country_cases_as_well_as_transnational_ones(demo_output):
    scopes = set(Case.objects.values_list("scope", flat=True))

    assert {Case.Scope.IN_COUNTRY, Case.Scope.TRANSNATIONAL} <= scopes
