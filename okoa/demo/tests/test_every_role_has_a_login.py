from django.contrib.auth import authenticate

from okoa.accounts.models import Membership, Organisation, User
from okoa.demo import data


def test_the_main_ngo_has_a_login_in_every_role(demo_output):
    roles = set(
        Membership.objects.filter(
            organisation__reference_prefix=data.MAIN_NGO.reference_prefix
        ).values_list("role", flat=True)
    )

    assert roles == set(Membership.Role.values)


def test_every_demo_organisation_has_at_least_one_login(demo_output):
    # Stand-ins of a partner installation's organisations have no members by design.
    for organisation in Organisation.objects.filter(exchange_remote__isnull=True):
        assert organisation.memberships.exists(), organisation.name


def test_the_second_ngo_has_a_caseworker_and_a_supervisor(demo_output):
    roles = set(
        Membership.objects.filter(
            organisation__reference_prefix=data.SECOND_NGO.reference_prefix
        ).values_list("role", flat=True)
    )

    assert {Membership.Role.CASEWORKER, Membership.Role.SUPERVISOR} <= roles


def test_the_site_administrator_has_no_membership(demo_output):
    site_admin = User.objects.get(is_superuser=True)

    assert site_admin.is_staff
    assert not site_admin.memberships.exists()


def test_every_printed_login_signs_in_with_the_demo_password(demo_output):
    assert data.DEMO_PASSWORD in demo_output
    for login in data.LOGINS:
        assert login.email in demo_output
        assert authenticate(username=login.email, password=data.DEMO_PASSWORD) is not None


def test_public_reports_are_routed_to_the_main_demo_organisation(demo_output):
    from okoa.intake.models import PUBLIC_CHANNELS, IntakeRoute

    routes = {
        route.channel: route.organisation.reference_prefix for route in IntakeRoute.objects.all()
    }
    assert routes == {channel.value: data.MAIN_NGO.reference_prefix for channel in PUBLIC_CHANNELS}
