"""`manage.py issue_api_token` prints a working secret once and stores only its digest."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from okoa.accounts.models import ApiToken
from okoa.api.tests.conftest import ApiClient


def issue(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("issue_api_token", *args, stdout=out, stderr=err, **options)
    return out.getvalue().strip(), err.getvalue()


def test_the_printed_secret_opens_the_api_as_that_member(cast):
    secret, note = issue("CASEWORKER@tumaini.test", "tum", "reporting script")
    assert "shown only this once" in note
    assert ApiClient(secret).get("/api/cases").status == 200
    token = ApiToken.objects.get()
    assert token.membership == cast.membership(cast.caseworker)
    assert token.digest == ApiToken.digest_of(secret)
    assert secret not in note
    assert token.expires_at is None


def test_a_token_can_expire(cast):
    issue("caseworker@tumaini.test", "TUM", "laptop", expires_in_days=30)
    assert ApiToken.objects.get().expires_at is not None


@pytest.mark.parametrize(
    ("email", "prefix"),
    [("caseworker@tumaini.test", "MWA"), ("nobody@tumaini.test", "TUM")],
)
def test_no_membership_is_an_error(cast, email, prefix):
    with pytest.raises(CommandError):
        issue(email, prefix, "laptop")
    assert not ApiToken.objects.exists()
