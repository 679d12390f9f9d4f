"""The public pages need no JavaScript: they load no script and a plain form POST does it all."""

import re

from okoa.intake.models import Report

from .conftest import public_form


def submission_of(form_page):
    match = re.search(r'name="submission" value="([^"]+)"', form_page)
    assert match is not None
    return match.group(1)


def test_the_public_pages_load_no_script(client, db):
    for url in ("/report/", "/report/status/"):
        html = client.get(url).content.decode()
        assert "<script" not in html, url
        assert "hx-" not in html, url


def test_a_plain_form_post_records_the_report(client, cast):
    # What a browser without JavaScript does: GET the form, then POST it with its fields.
    form_page = client.get("/report/").content.decode()
    assert 'method="post" action="/report/"' in form_page
    submission = submission_of(form_page)

    response = client.post("/report/", public_form(submission=submission))

    assert response.status_code == 200
    assert Report.objects.count() == 1


def test_sending_the_same_form_twice_gives_the_first_report_back(client, cast):
    form_page = client.get("/report/").content.decode()
    submission = submission_of(form_page)

    first = client.post("/report/", public_form(submission=submission))
    again = client.post("/report/", public_form(submission=submission))

    assert Report.objects.count() == 1
    reference = Report.objects.get().reference
    assert reference in first.content.decode()
    assert reference in again.content.decode()
    assert "already arrived" in again.content.decode()
