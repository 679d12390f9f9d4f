from django.apps import apps

from okoa.demo import data
from okoa.demo.tests.conftest import run_demo


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_running_the_demo_twice_creates_nothing_new(demo_output):
    before = row_counts()

    second_output = run_demo()

    assert row_counts() == before
    assert "nothing changed" in second_output


def test_the_second_run_prints_the_logins_again(demo_output):
    second_output = run_demo()

    assert data.DEMO_PASSWORD in second_output
    for login in data.LOGINS:
        assert login.email in second_output
