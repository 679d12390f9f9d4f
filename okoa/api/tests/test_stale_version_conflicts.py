"""An update based on an outdated version is refused with 409 and changes nothing."""

from okoa.audit.models import ChangeRecord
from okoa.cases.actions import update_case
from okoa.people.actions import update_person


def test_a_stale_person_update_is_a_409_and_changes_nothing(cast, api_as, survivor):
    update_person(survivor, by=cast.supervisor, expected_version=1, family_name="Wambui")
    changes = ChangeRecord.objects.count()
    response = api_as(cast.caseworker).patch(
        f"/api/people/{survivor.code}", {"version": 1, "family_name": "Njeri", "sex": "male"}
    )
    assert response.status == 409
    assert "Somebody else saved" in response.body["detail"]
    survivor.refresh_from_db()
    assert (survivor.family_name, survivor.sex, survivor.version) == ("Wambui", "female", 2)
    assert ChangeRecord.objects.count() == changes


def test_a_stale_case_update_is_a_409_and_changes_nothing(cast, api_as, case):
    update_case(case, by=cast.supervisor, expected_version=1, narrative="Updated by supervisor.")
    response = api_as(cast.caseworker).patch(
        f"/api/cases/{case.code}",
        {"version": 1, "narrative": "Overwrite attempt.", "exploitation_types": []},
    )
    assert response.status == 409
    assert "Somebody else saved" in response.body["detail"]
    case.refresh_from_db()
    assert (case.narrative, case.version) == ("Updated by supervisor.", 2)
    assert list(case.exploitation_types.values_list("code", flat=True)) == ["ForcedLabour"]


def test_the_version_is_required_to_update(cast, api_as, case, survivor):
    api = api_as(cast.caseworker)
    for path in (f"/api/cases/{case.code}", f"/api/people/{survivor.code}"):
        response = api.patch(path, {"narrative": "x"} if "cases" in path else {"sex": "male"})
        assert response.status == 422
        assert ["body", "payload", "version"] in [error["loc"] for error in response.body["detail"]]
