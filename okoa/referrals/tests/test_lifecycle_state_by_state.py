"""The referral lifecycle, status by status and answer by answer: every pair is either allowed
(and moves the referral where ``Referral.TRANSITIONS`` says) or refused with a clear message and
nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from okoa.referrals.actions import (
    accept_referral,
    complete_referral,
    decline_referral,
    withdraw_referral,
)
from okoa.referrals.models import Referral, ReferralEvent

S = Referral.Status

ANSWERS = {
    "accept": (
        S.ACCEPTED,
        lambda referral, cast: accept_referral(referral, by=cast.partner_caseworker),
    ),
    "decline": (
        S.DECLINED,
        lambda referral, cast: decline_referral(
            referral, reason="no_capacity", by=cast.partner_caseworker
        ),
    ),
    "complete": (
        S.COMPLETED,
        lambda referral, cast: complete_referral(
            referral, outcome="service_provided", by=cast.partner_caseworker
        ),
    ),
    "withdraw": (
        S.WITHDRAWN,
        lambda referral, cast: withdraw_referral(
            referral, reason="The survivor moved to her sister's", by=cast.caseworker
        ),
    ),
}

# How to bring a new referral to each status, through the real answers.
PATHS = {
    S.SENT: [],
    S.ACCEPTED: ["accept"],
    S.DECLINED: ["decline"],
    S.COMPLETED: ["accept", "complete"],
    S.WITHDRAWN: ["withdraw"],
}

EXPECTED = {
    (S.SENT, "accept"): True,
    (S.SENT, "decline"): True,
    (S.SENT, "complete"): False,
    (S.SENT, "withdraw"): True,
    (S.ACCEPTED, "accept"): False,
    (S.ACCEPTED, "decline"): False,
    (S.ACCEPTED, "complete"): True,
    (S.ACCEPTED, "withdraw"): True,
    (S.DECLINED, "accept"): False,
    (S.DECLINED, "decline"): False,
    (S.DECLINED, "complete"): False,
    (S.DECLINED, "withdraw"): False,
    (S.COMPLETED, "accept"): False,
    (S.COMPLETED, "decline"): False,
    (S.COMPLETED, "complete"): False,
    (S.COMPLETED, "withdraw"): False,
    (S.WITHDRAWN, "accept"): False,
    (S.WITHDRAWN, "decline"): False,
    (S.WITHDRAWN, "complete"): False,
    (S.WITHDRAWN, "withdraw"): False,
}


def test_the_table_covers_every_status_and_answer_and_matches_the_transitions():
    assert set(EXPECTED) == {(status, answer) for status in S for answer in ANSWERS}
    for (status, answer), allowed in EXPECTED.items():
        assert (ANSWERS[answer][0] in Referral.TRANSITIONS[status]) is allowed


@pytest.mark.parametrize(("status", "answer"), sorted(EXPECTED), ids=lambda value: str(value))
def test_each_answer_in_each_status_is_allowed_or_refused(cast, make_case, refer, status, answer):
    referral = refer(make_case())
    for step in PATHS[status]:
        ANSWERS[step][1](referral, cast)
    referral.refresh_from_db()
    assert referral.status == status
    before = (referral.status, referral.version, ReferralEvent.objects.count())
    target, act = ANSWERS[answer]

    if EXPECTED[(status, answer)]:
        act(referral, cast)
        referral.refresh_from_db()
        assert referral.status == target
        assert referral.version == before[1] + 1
        assert ReferralEvent.objects.filter(referral=referral).latest("id").status == target
        assert (referral.closed_at is not None) is (target in Referral.CLOSED_STATUSES)
    else:
        with pytest.raises(ValidationError) as refused:
            act(referral, cast)
        assert "can no longer be" in refused.value.messages[0]
        referral.refresh_from_db()
        assert (referral.status, referral.version, ReferralEvent.objects.count()) == before


def test_answered_at_is_the_first_answer_and_accepted_at_the_acceptance(cast, make_case, refer):
    referral = refer(make_case())
    accept_referral(referral, by=cast.partner_caseworker)
    answered = referral.answered_at
    complete_referral(referral, outcome="partly_provided", by=cast.partner_caseworker)

    assert referral.answered_at == answered
    assert referral.accepted_at == answered
    assert referral.closed_at >= answered
    assert referral.outcome == "partly_provided"
