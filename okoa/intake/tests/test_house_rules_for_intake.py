"""Intake's records are reached only through intake/access.py and never through the admin."""

import re
from pathlib import Path

import pytest

INTAKE = Path(__file__).resolve().parent.parent
PERSONAL_MODELS = (
    "Report",
    "ReportSearchToken",
    "ReportEvent",
    "ReportCase",
    "GroupIncident",
    "GroupIncidentMember",
    "HotlineCall",
)


def test_views_reach_intake_records_only_through_access_functions():
    source = (INTAKE / "views.py").read_text()
    for model in PERSONAL_MODELS:
        assert not re.search(rf"\b{model}\.objects\b", source), model


@pytest.mark.parametrize("model_name", PERSONAL_MODELS)
def test_no_intake_model_with_personal_data_is_registered_in_the_admin(model_name):
    from django.contrib import admin

    from okoa.intake import models

    assert not admin.site.is_registered(getattr(models, model_name))


def test_site_administrators_set_the_intake_routes_in_the_admin():
    from django.contrib import admin

    from okoa.intake.models import IntakeRoute

    assert admin.site.is_registered(IntakeRoute)
