"""An edit based on an outdated copy of a case is refused, with a message, and changes nothing."""

from okoa.cases.actions import update_case
from okoa.cases.models import Case


def test_edit_with_a_stale_version_is_refused_and_changes_nothing(client, cast, make_case):
    case = make_case()
    client.force_login(cast.caseworker)
    form = client.get(f"/cases/{case.code}/edit/").context["form"]
    seen_version = form.initial["version"]
    update_case(case, by=cast.supervisor, narrative="Written by the supervisor.")

    response = client.post(
        f"/cases/{case.code}/edit/",
        {"version": seen_version, "scope": "in_country", "narrative": "Written by me."},
    )

    assert response.status_code == 400
    assert "Somebody else saved this case" in response.content.decode()
    case.refresh_from_db()
    assert case.narrative == "Written by the supervisor."
    assert case.scope == Case.Scope.UNKNOWN


def test_edit_with_the_current_version_is_saved(client, cast, make_case, places):
    case = make_case()
    client.force_login(cast.caseworker)

    response = client.post(
        f"/cases/{case.code}/edit/",
        {
            "version": case.version,
            "scope": "in_country",
            "narrative": "Written by me.",
            "methods_of_control": [],
            "exploitation_types": ["SexualExploitation"],
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.narrative == "Written by me."
    assert list(case.exploitation_types.all()) == [places.sexual_exploitation]
