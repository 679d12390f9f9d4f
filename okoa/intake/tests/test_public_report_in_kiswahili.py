"""The public form and status page are in Kiswahili for whoever chooses it."""

from pathlib import Path

import pytest
from django.conf import settings

from .conftest import public_form

CATALOG = Path(settings.LOCALE_PATHS[0]) / "sw" / "LC_MESSAGES" / "django.mo"

pytestmark = pytest.mark.skipif(
    not CATALOG.exists(), reason="translations not compiled: run `make messages`"
)

ENGLISH = [
    "Ask for help for someone in distress",
    "Is anyone in immediate danger?",
    "Send the report",
]


def test_the_report_form_speaks_kiswahili(client, db):
    text = client.get("/report/", HTTP_ACCEPT_LANGUAGE="sw").content.decode()

    assert '<html lang="sw"' in text
    for sentence in ENGLISH:
        assert sentence not in text, sentence
    assert "Tuma ripoti" in text


def test_the_status_page_speaks_kiswahili(client, db):
    response = client.post(
        "/report/status/",
        {"reference": "TUM-R-2026-000001", "pin": "123456"},
        HTTP_ACCEPT_LANGUAGE="sw",
    )

    assert "We found no report" not in response.content.decode()


def test_the_language_of_a_report_is_kept_for_the_reply(client, cast):
    from okoa.intake.models import Report

    client.post("/report/", public_form(), HTTP_ACCEPT_LANGUAGE="sw")

    assert Report.objects.get().language == "sw"
