"""A message is processed once: delivered again (a lost acknowledgement, a replay, a retry
sealed anew) it gets the same signed acknowledgement and nothing runs twice."""

from __future__ import annotations

import uuid

import pytest

from okoa.exchange.models import InboundMessage, RefusedMessage
from okoa.exchange.tests.conftest import INBOX_PATHS, minutes_ago, register_remote

# The API's inbox and its old address answer alike.
pytestmark = pytest.mark.parametrize("inbox_path", INBOX_PATHS)


def test_a_new_message_is_processed_and_acknowledged_with_a_signature(remote, recorder):
    sealed = remote.seal(body={"note": "hello"})
    response = remote.post(sealed)
    assert response.status_code == 200
    assert remote.acknowledged(response, sealed.header.message_id)
    [call] = recorder.calls
    assert call["body"] == {"note": "hello"}
    assert call["partner"] == remote.partner
    assert call["message_id"] == sealed.header.message_id
    assert call["from_organisation"] is None and call["to_organisation"] is None
    inbound = InboundMessage.objects.get()
    assert (inbound.partner, inbound.message_id, inbound.kind) == (
        remote.partner,
        sealed.header.message_id,
        "tests.record",
    )
    assert inbound.processed_at is not None and inbound.duplicates == 0


def test_the_same_envelope_again_is_acknowledged_but_not_processed(remote, recorder):
    sealed = remote.seal()
    first = remote.post(sealed)
    again = remote.post(sealed)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert len(recorder.calls) == 1
    assert InboundMessage.objects.get().duplicates == 1


def test_a_retry_sealed_anew_after_a_lost_acknowledgement_is_not_processed_again(remote, recorder):
    message_id = uuid.uuid4()
    remote.post(remote.seal(message_id=message_id, created_at=minutes_ago(30)))
    retry = remote.seal(message_id=message_id, created_at=minutes_ago(30))
    response = remote.post(retry)
    assert response.status_code == 200 and remote.acknowledged(response, message_id)
    assert len(recorder.calls) == 1


def test_a_processed_message_replayed_after_the_window_is_acknowledged_not_processed(
    remote, recorder
):
    # The acknowledgement may have been lost hours ago: the sender must still learn that the
    # message arrived. Nothing runs again.
    message_id = uuid.uuid4()
    remote.post(remote.seal(message_id=message_id))
    late = remote.seal(message_id=message_id, sent_at=minutes_ago(120))
    response = remote.post(late)
    assert response.status_code == 200 and remote.acknowledged(response, message_id)
    assert len(recorder.calls) == 1
    assert not RefusedMessage.objects.exists()


def test_an_old_message_never_processed_is_refused_as_stale(remote, recorder):
    response = remote.post(remote.seal(sent_at=minutes_ago(120)))
    assert response.status_code == 403
    assert recorder.calls == []


def test_the_same_id_for_another_message_is_a_conflict(remote, recorder):
    message_id = uuid.uuid4()
    remote.post(remote.seal(message_id=message_id))
    response = remote.post(remote.seal(message_id=message_id, kind="exchange.ping"))
    assert response.status_code == 409
    assert response.json()["reason"] == "conflict"
    assert len(recorder.calls) == 1
    assert InboundMessage.objects.get().kind == "tests.record"


def test_ids_are_per_partner(remote, recorder):
    other = register_remote("lamu-outreach", "Lamu Outreach", remote.inbox_path)
    message_id = uuid.uuid4()
    assert remote.post(remote.seal(message_id=message_id)).status_code == 200
    assert other.post(other.seal(message_id=message_id)).status_code == 200
    assert len(recorder.calls) == 2
    assert InboundMessage.objects.filter(message_id=message_id).count() == 2
