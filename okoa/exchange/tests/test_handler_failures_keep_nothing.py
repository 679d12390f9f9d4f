"""A handler that fails leaves nothing behind and the sender is told to try again; a body the
handler refuses is recorded as refused; a retried message is then processed once."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError

from okoa.accounts.actions import create_organisation
from okoa.accounts.models import Organisation
from okoa.exchange.handlers import RetryLater
from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.exchange.tests.conftest import INBOX_PATHS

# The API's inbox and its old address answer alike.
pytestmark = pytest.mark.parametrize("inbox_path", INBOX_PATHS)


def make_organisation() -> None:
    create_organisation(name="Half-done Organisation", kind="ngo", reference_prefix="HALF")


def test_a_failing_handler_rolls_everything_back_and_answers_retry(remote, recorder, caplog):
    caplog.set_level(logging.DEBUG)
    recorder.before_failing = make_organisation
    recorder.fail_with = RuntimeError("could not file the referral of Atieno Omondi")
    sealed = remote.seal()
    response = remote.post(sealed)
    assert response.status_code == 503
    assert response.json()["retry"] is True
    assert not InboundMessage.objects.exists()
    assert not Organisation.objects.filter(name="Half-done Organisation").exists()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "RuntimeError" in logged and "Atieno" not in logged

    recorder.before_failing = recorder.fail_with = None
    retry = remote.post(remote.seal(message_id=sealed.header.message_id))
    assert retry.status_code == 200 and remote.acknowledged(retry, sealed.header.message_id)
    assert len(recorder.calls) == 1
    assert InboundMessage.objects.count() == 1


def test_a_message_that_depends_on_another_is_retried_later(remote, recorder):
    recorder.fail_with = RetryLater()
    assert remote.post(remote.seal()).status_code == 503
    assert not InboundMessage.objects.exists()
    assert not RefusedMessage.objects.exists()


def test_a_body_the_handler_refuses_is_recorded_as_refused(remote, recorder):
    recorder.before_failing = make_organisation
    recorder.fail_with = ValidationError({"shared": "missing"})
    response = remote.post(remote.seal())
    assert response.status_code == 422
    assert response.json()["reason"] == "invalid_body"
    assert not InboundMessage.objects.exists()
    assert not Organisation.objects.filter(name="Half-done Organisation").exists()
    refusal = RefusedMessage.objects.get()
    assert (refusal.reason, refusal.partner) == ("invalid_body", remote.partner)
