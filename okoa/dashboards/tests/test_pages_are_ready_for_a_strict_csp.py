"""The dashboards carry no inline script, style or event handler (strict CSP)."""

import re

import pytest

from okoa.dashboards.tests.conftest import fill

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize(
    ("user", "path"), [("caseworker", "/dashboard/"), ("supervisor", "/dashboard/team/")]
)
def test_dashboard_has_no_inline_code(client, cast, make_case, move_back, user, path):
    fill(cast.ngo, cast.caseworker, make_case, move_back, "Akinyi", supervisor=cast.supervisor)
    client.force_login(getattr(cast, user))

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html  # the panels are full
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_STYLE.search(html)
    assert not EVENT_HANDLER.search(html)
