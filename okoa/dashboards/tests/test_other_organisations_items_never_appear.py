"""Another organisation's follow-ups, sessions, goals, hearings, closures, grants, erasures and
cases never appear on a dashboard, even when its members' names and dates match exactly."""

from okoa.dashboards.tests.conftest import fill


def test_another_organisations_items_never_appear_on_either_dashboard(
    client, cast, make_case, move_back
):
    fill(cast.partner, cast.partner_caseworker, make_case, move_back, "Wanjiku")

    for user, path in (
        (cast.caseworker, "/dashboard/"),
        (cast.supervisor, "/dashboard/"),
        (cast.supervisor, "/dashboard/team/"),
        (cast.admin, "/dashboard/team/"),
    ):
        client.force_login(user)
        html = client.get(path).content.decode()
        assert "MWA-" not in html, (user, path)
        assert "Wanjiku" not in html, (user, path)
        assert "Faraji Partner" not in html, (user, path)


def test_the_other_organisation_sees_its_own_day(client, cast, make_case, move_back):
    fill(cast.partner, cast.partner_caseworker, make_case, move_back, "Wanjiku")
    fill(cast.ngo, cast.caseworker, make_case, move_back, "Akinyi")
    client.force_login(cast.partner_caseworker)

    html = client.get("/dashboard/").content.decode()

    for key in ("follow-ups", "sessions", "goals", "hearings", "quiet"):
        section = html.split(f'<section id="{key}"', 1)[1].split("</section>", 1)[0]
        assert "MWA-" in section, key
    assert "TUM-" not in html and "Akinyi" not in html
