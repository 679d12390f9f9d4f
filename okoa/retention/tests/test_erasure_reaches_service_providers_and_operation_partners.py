"""Erasure empties the names of a survivor's outside service providers (her own services and her
child's under her case, and a dependant's services under the survivor's case when only the
dependant is erased), and what a rescue operation's partners say about people: a family's name
that shares her name at once, the partners' notes and the other families' names once nobody on
the manifest is left. An organisation's name stays. An edit page opened before the erasure
cannot write a provider's name back."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from okoa.audit.models import ChangeRecord
from okoa.care.actions import StaleEdit, add_care_service, update_care_service
from okoa.care.models import CareService
from okoa.cases.models import Case
from okoa.operations.actions import add_case_to_manifest, add_operation_partner, create_operation
from okoa.operations.models import Operation, OperationPartner
from okoa.people.actions import create_person
from okoa.people.models import Person
from okoa.retention.tests.conftest import all_rows_as_text

SERVICE_SECRETS = ["Dr Kibet Chelimo's counselling room", "Shule ya Msingi Kapkures"]


@dataclass
class Survivor:
    case: Case
    person: Person
    child: Person
    own_service: CareService
    child_service: CareService


@pytest.fixture
def survivor(cast, make_case) -> Survivor:
    case = make_case(given_name="Chepkoech", family_name="Jeruto")
    child = create_person(
        cast.ngo,
        by=cast.caseworker,
        given_name="Kiprop",
        family_name="Jeruto",
        parent=case.person,
        relationship_to_parent="child",
    )
    own = add_care_service(
        case,
        by=cast.caseworker,
        beneficiary=case.person,
        kind="counselling",
        planned_count=10,
        provider_name="Dr Kibet Chelimo's counselling room",
    )
    school = add_care_service(
        case,
        by=cast.caseworker,
        beneficiary=child,
        kind="school",
        provider_name="Shule ya Msingi Kapkures",
    )
    return Survivor(case, case.person, child, own, school)


@dataclass
class Rescue:
    operation: Operation
    other_case: Case
    own_family: OperationPartner
    other_family: OperationPartner
    tickets: OperationPartner


@pytest.fixture
def rescue(cast, make_case, survivor) -> Rescue:
    other = make_case(given_name="Chebet", family_name="Rotich")
    operation = create_operation(cast.ngo, by=cast.supervisor, name="Gulf return, May")
    for case in (survivor.case, other):
        add_case_to_manifest(operation, case=case, by=cast.caseworker)
    own_family = add_operation_partner(
        operation,
        by=cast.caseworker,
        role="families_paying",
        external_name="Familia ya Jeruto",
        notes="Her uncle pays half of the ticket.",
    )
    other_family = add_operation_partner(
        operation,
        by=cast.caseworker,
        role="families_paying",
        external_name="Familia ya Rotich",
        notes="They sold a cow for the ticket.",
    )
    tickets = add_operation_partner(
        operation,
        by=cast.caseworker,
        role="ngo_paying_tickets",
        external_name="Pwani Travel Fund (invented)",
        notes="Flights booked through their Mombasa desk.",
    )
    return Rescue(operation, other, own_family, other_family, tickets)


def test_the_survivors_and_her_childs_provider_names_go(cast, survivor, erase):
    erase(survivor.person, include_dependants=True)

    for service in (survivor.own_service, survivor.child_service):
        service.refresh_from_db()
        assert service.provider_name == ""
    assert (survivor.own_service.kind, survivor.own_service.planned_count) == ("counselling", 10)
    text = all_rows_as_text().lower()
    for secret in SERVICE_SECRETS:
        assert secret.lower() not in text, secret
    record = ChangeRecord.objects.get(
        record_kind="case", record_code=survivor.case.code, action="erased"
    )
    assert "care_services.provider_name" in record.fields
    erased = ChangeRecord.objects.filter(record_kind="care_service", action="erased")
    assert set(erased.values_list("record_code", flat=True)) == {
        survivor.own_service.code,
        survivor.child_service.code,
    }
    assert all(record.fields == ["provider_name"] for record in erased)


def test_an_edit_opened_before_the_erasure_cannot_write_the_name_back(cast, survivor, erase):
    opened_at = survivor.own_service.version

    erase(survivor.person)

    with pytest.raises(StaleEdit):
        update_care_service(
            survivor.own_service,
            by=cast.caseworker,
            expected_version=opened_at,
            provider_name="Dr Kibet Chelimo's counselling room",
        )
    survivor.own_service.refresh_from_db()
    assert survivor.own_service.provider_name == ""


def test_a_dependant_erased_alone_loses_the_provider_of_their_services_only(cast, survivor, erase):
    erase(survivor.child)

    survivor.child_service.refresh_from_db()
    survivor.own_service.refresh_from_db()
    assert survivor.child_service.provider_name == ""
    assert survivor.own_service.provider_name == "Dr Kibet Chelimo's counselling room"
    assert ChangeRecord.objects.filter(
        record_kind="care_service", record_code=survivor.child_service.code, action="erased"
    ).exists()


def test_her_familys_name_goes_at_once_the_rest_while_others_are_on_the_manifest(
    cast, survivor, rescue, erase
):
    erase(survivor.person)

    partners = {p.pk: p for p in OperationPartner.objects.filter(operation=rescue.operation)}
    assert partners[rescue.own_family.pk].external_name == ""
    assert partners[rescue.own_family.pk].role == "families_paying"
    assert partners[rescue.other_family.pk].external_name == "Familia ya Rotich"
    assert partners[rescue.tickets.pk].external_name == "Pwani Travel Fund (invented)"
    assert [partners[pk].notes for pk in sorted(partners)] == [
        "Her uncle pays half of the ticket.",
        "They sold a cow for the ticket.",
        "Flights booked through their Mombasa desk.",
    ]
    record = ChangeRecord.objects.get(
        record_kind="operation", record_code=rescue.operation.code, action="erased"
    )
    assert record.fields == ["partners.external_name"]


def test_notes_and_families_go_with_the_last_person_on_the_manifest(cast, survivor, rescue, erase):
    erase(survivor.person)
    erase(rescue.other_case.person)

    partners = OperationPartner.objects.filter(operation=rescue.operation).order_by("id")
    assert [(p.role, p.external_name, p.notes) for p in partners] == [
        ("families_paying", "", ""),
        ("families_paying", "", ""),
        ("ngo_paying_tickets", "Pwani Travel Fund (invented)", ""),
    ]
    text = all_rows_as_text().lower()
    for secret in ("Jeruto", "Rotich", "sold a cow", "uncle pays", "Mombasa desk"):
        assert secret.lower() not in text, secret
    last = ChangeRecord.objects.filter(
        record_kind="operation", record_code=rescue.operation.code, action="erased"
    ).latest("id")
    assert last.fields == ["partners.external_name", "partners.notes"]


def test_an_operation_the_person_is_not_on_is_untouched(cast, survivor, rescue, make_case, erase):
    stranger = make_case(given_name="Jeruto", family_name="Kiplagat")  # shares a name part

    erase(stranger.person)

    names = OperationPartner.objects.filter(operation=rescue.operation).values_list(
        "external_name", flat=True
    )
    assert "Familia ya Jeruto" in list(names)
