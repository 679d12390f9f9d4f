from okoa.accounts.models import Membership
from okoa.people.access import search_people_for_user
from okoa.people.models import Person


def with_one_letter_missing(name: str) -> str:
    middle = len(name) // 2
    return name[:middle] + name[middle + 1 :] if len(name) >= 5 else name


def test_every_demo_person_is_found_by_name_with_a_typo(demo_output):
    people = Person.objects.select_related("organisation")
    assert people.count() > 31
    for person in people:
        membership = Membership.objects.filter(
            organisation=person.organisation, role=Membership.Role.CASEWORKER
        ).first()
        query = f"{person.given_name} {with_one_letter_missing(person.family_name)}"

        found = [match for match, _score in search_people_for_user(membership, query)]

        assert person in found[:3], query


def test_names_are_unique_within_each_organisation(demo_output):
    names = [(person.organisation_id, person.full_name) for person in Person.objects.all()]

    assert len(names) == len(set(names))
