import pytest
from django.core.management import CommandError

from okoa.accounts.models import Organisation, User
from okoa.demo.tests.conftest import run_demo
from okoa.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_demo_command_refuses_to_run_in_production_mode(settings):
    # Counted rather than assumed empty: other demo tests may have loaded the demo already.
    before = (Organisation.objects.count(), User.objects.count(), Person.objects.count())
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        run_demo()

    assert (Organisation.objects.count(), User.objects.count(), Person.objects.count()) == before
