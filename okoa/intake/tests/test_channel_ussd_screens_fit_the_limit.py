"""Every USSD screen, in both languages, with or without "Invalid choice", fits in the 182
characters a USSD screen holds."""

import itertools

import pytest

from okoa.intake.channels import ussd
from okoa.intake.channels.ussd import MAX_SCREEN, Session, Step


def all_sessions():
    for language, invalid, danger_now, country in itertools.product(
        ("en", "sw"), (False, True), (True, False), (*ussd.COUNTRY_CODES, "")
    ):
        for step in Step:
            yield Session(
                step=step,
                language=language,
                invalid=invalid,
                country=country,
                danger_now=danger_now,
                people=ussd.MAX_PEOPLE,
                call_time="afternoon",
            )


@pytest.mark.django_db
def test_every_screen_fits_in_182_characters():
    longest = 0
    for session in all_sessions():
        if session.step in (Step.REPORT, Step.CALL_BACK):
            # The longest reference there can be: a ten-letter prefix.
            rendered = ussd.received_screen(session, "ABCDEFGHIJ-R-2026-999999", "000000")
        else:
            rendered = ussd.screen(session)
        text = rendered.render()
        assert len(text) <= MAX_SCREEN, (session, len(text), text)
        longest = max(longest, len(text))
    for language in ("en", "sw"):
        for last_screen in (ussd.not_saved_screen, ussd.limit_screen, ussd.answered_before_screen):
            text = last_screen(Session(language=language)).render()
            assert len(text) <= MAX_SCREEN, text
    assert longest > 100  # the check did look at real screens
