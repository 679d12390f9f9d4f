"""The public pages weigh under 50 KB on a slow phone: the HTML plus every stylesheet and script
they load (they load no script)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from okoa.intake.models import IntakeRoute

from .conftest import public_form

LIMIT = 50 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


def weight(html: bytes) -> int:
    """Bytes of the page and of every static file it references."""
    total = len(html)
    for url in set(ASSET.findall(html.decode())):
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        total += Path(path).stat().st_size
    return total


@pytest.fixture
def routed(cast):
    IntakeRoute.objects.create(channel="web", organisation=cast.ngo)


def test_the_report_form_weighs_under_50_kb(client, db):
    html = client.get("/report/").content

    assert b"okoa.css" in html
    assert weight(html) < LIMIT


def test_the_report_form_with_every_error_shown_weighs_under_50_kb(client, db):
    html = client.post("/report/", public_form(narrative="", immediate_danger="")).content

    assert b"error-summary" in html
    assert weight(html) < LIMIT


def test_the_answer_with_reference_and_pin_weighs_under_50_kb(client, routed):
    assert weight(client.post("/report/", public_form()).content) < LIMIT


def test_the_status_page_weighs_under_50_kb(client, db):
    assert weight(client.get("/report/status/").content) < LIMIT
