"""A code from the app works once: the same code again, or any code of the same or an earlier
time step, is refused, while codes within one step of drift are still accepted."""

import time

import pytest

from okoa.accounts.actions import CodeCheck, verify_sign_in_code


@pytest.fixture
def enrolled(cast, enrol):
    # Enrolled two steps ago (see ``enrol``): the codes of the last step and of now are fresh.
    return enrol(cast.caseworker)


def check(cast, code):
    return verify_sign_in_code(cast.caseworker, code=code).check


def test_the_same_code_is_refused_the_second_time(cast, enrolled, totp_code):
    code = totp_code(enrolled.device)

    assert check(cast, code) is CodeCheck.ACCEPTED
    assert check(cast, code) is CodeCheck.REFUSED
    enrolled.device.refresh_from_db()
    assert enrolled.device.last_t == int(time.time()) // enrolled.device.step


def test_a_code_one_step_old_is_accepted_until_a_newer_one_is_used(cast, enrolled, totp_code):
    step = enrolled.device.step
    previous = totp_code(enrolled.device, time.time() - step)

    assert check(cast, previous) is CodeCheck.ACCEPTED
    assert check(cast, totp_code(enrolled.device)) is CodeCheck.ACCEPTED
    # Still inside the drift window, but at a step before the last one used: a replay.
    assert check(cast, previous) is CodeCheck.REFUSED


def test_the_enrolment_code_cannot_sign_in_again(cast, enrolled, totp_code):
    enrolment_code = totp_code(enrolled.device, time.time() - 2 * enrolled.device.step)

    assert check(cast, enrolment_code) is CodeCheck.REFUSED


def test_a_code_for_another_user_does_not_work(cast, enrol, enrolled, totp_code):
    other = enrol(cast.supervisor)

    assert check(cast, totp_code(other.device)) is CodeCheck.REFUSED
    assert verify_sign_in_code(cast.supervisor, code=totp_code(other.device)).check is (
        CodeCheck.ACCEPTED
    )
