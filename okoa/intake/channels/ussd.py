"""The USSD menu (Africa's Talking): report someone in danger, or ask for a call back.

The gateway posts ``sessionId``, ``serviceCode``, ``phoneNumber`` and ``text`` (every input of
the session so far, joined by ``*``; empty at first) and shows the answer: ``CON`` and a screen
that waits for input, or ``END`` and a last screen. The menu is read again from ``text`` on
every request, so no state is kept between requests, and a request the gateway repeats gets the
same screen. A wrong input shows the same screen again under "Invalid choice".

Screens (each at most 182 characters, the USSD limit; English or Kiswahili, chosen first):

* language → menu: 1 report someone in danger, 2 ask for a call back, 0 exit;
* report: where they are (a short list of common destinations, or other) → is someone in
  danger now → how many people → confirm → END with reference and PIN;
* call back: when it is safe to call → END with reference and PIN.

Only a confirmed report or call-back request is recorded: one report per session, whose last
screen (with the PIN) is kept sealed (``UssdSession``), so that a repeated last request gets the
same answer. No SMS follows a USSD report: an SMS stays on the phone, a USSD screen does not.

A number records at most ``OKOA_INTAKE_REPORTS_PER_PHONE`` reports an hour (counted under a
keyed hash of the number); past that, the last screen says its reports have arrived and asks it
to dial again later, nothing is recorded, and the log counts it (never the number).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from okoa.accounts.models import Organisation
from okoa.intake.actions import (
    MAX_PEOPLE,
    RATE_LIMITS,
    count_attempts,
    create_report,
    delivered_report,
    receiving_organisation,
    reissue_report_pin,
    with_database_retry,
)
from okoa.intake.channels.models import UssdSession
from okoa.intake.models import Channel, Report
from okoa.lib import names
from okoa.reference.models import Country

logger = logging.getLogger(__name__)

MAX_SCREEN = 182
# Where people reported by Kenyan families are most often held; anything else is "Other".
COUNTRY_CODES = ("SA", "AE", "QA", "OM", "LB", "MM", "KE")
# Each language named in itself: the screen before a language is chosen.
LANGUAGES = (("en", "English"), ("sw", "Kiswahili"))


class MalformedRequest(ValueError):
    """The callback lacks a field or carries one that cannot be right."""


@dataclass(frozen=True)
class UssdRequest:
    session_id: str
    service_code: str
    phone_number: str
    inputs: tuple[str, ...]

    @classmethod
    def parse(cls, data: QueryDict) -> UssdRequest:
        """Read the gateway's form fields; raise MalformedRequest for a malformed callback."""
        session_id = data.get("sessionId", "").strip()
        service_code = data.get("serviceCode", "").strip()
        phone = data.get("phoneNumber", "").strip()
        text = data.get("text", "")
        if not session_id or len(session_id) > 100:
            raise MalformedRequest("sessionId")
        if not service_code or len(service_code) > 40:
            raise MalformedRequest("serviceCode")
        if not phone or len(phone) > 40 or not 7 <= len(names.normalise_phone(phone)) <= 15:
            raise MalformedRequest("phoneNumber")
        if len(text) > 500:
            raise MalformedRequest("text")
        inputs = tuple(part.strip() for part in text.split("*")) if text else ()
        return cls(session_id, service_code, phone, inputs)


class Step(enum.Enum):
    LANGUAGE = "language"
    MENU = "menu"
    COUNTRY = "country"
    DANGER = "danger"
    PEOPLE = "people"
    CONFIRM = "confirm"
    CALL_TIME = "call_time"
    # Last screens.
    EXIT = "exit"
    CANCELLED = "cancelled"
    REPORT = "report"
    CALL_BACK = "call_back"


FINAL_STEPS = (Step.EXIT, Step.CANCELLED, Step.REPORT, Step.CALL_BACK)
OTHER_COUNTRY = ""


@dataclass(frozen=True)
class Session:
    """What the inputs so far say: where the menu is and what was answered."""

    step: Step = Step.LANGUAGE
    language: str = "en"
    invalid: bool = False
    country: str | None = None  # a code of COUNTRY_CODES, or OTHER_COUNTRY
    danger_now: bool | None = None
    people: int | None = None
    call_time: str = ""


CALL_TIMES = ("any_time", "morning", "afternoon", "evening")


def read(inputs: tuple[str, ...]) -> Session:
    """Walk through the inputs from the first screen; a wrong input stays on its screen."""
    session = Session()
    for given in inputs:
        if session.step in FINAL_STEPS:
            break
        moved = _next(session, given)
        session = moved if moved is not None else replace(session, invalid=True)
    return session


def _choice(given: str, count: int) -> int | None:
    return int(given) if given.isdigit() and 1 <= int(given) <= count else None


def _next(session: Session, given: str) -> Session | None:
    session = replace(session, invalid=False)
    step = session.step
    if step == Step.LANGUAGE:
        chosen = _choice(given, len(LANGUAGES))
        return (
            replace(session, step=Step.MENU, language=LANGUAGES[chosen - 1][0]) if chosen else None
        )
    if step == Step.MENU:
        return {
            "1": replace(session, step=Step.COUNTRY),
            "2": replace(session, step=Step.CALL_TIME),
            "0": replace(session, step=Step.EXIT),
        }.get(given)
    if step == Step.COUNTRY:
        chosen = _choice(given, len(COUNTRY_CODES) + 1)
        if chosen is None:
            return None
        country = COUNTRY_CODES[chosen - 1] if chosen <= len(COUNTRY_CODES) else OTHER_COUNTRY
        return replace(session, step=Step.DANGER, country=country)
    if step == Step.DANGER:
        chosen = _choice(given, 2)
        return replace(session, step=Step.PEOPLE, danger_now=chosen == 1) if chosen else None
    if step == Step.PEOPLE:
        if not given.isdigit() or not 1 <= int(given) <= MAX_PEOPLE:
            return None
        return replace(session, step=Step.CONFIRM, people=int(given))
    if step == Step.CONFIRM:
        return {
            "1": replace(session, step=Step.REPORT),
            "2": replace(session, step=Step.CANCELLED),
        }.get(given)
    if step == Step.CALL_TIME:
        if given == "0":
            return replace(session, step=Step.CANCELLED)
        chosen = _choice(given, len(CALL_TIMES))
        return (
            replace(session, step=Step.CALL_BACK, call_time=CALL_TIMES[chosen - 1])
            if chosen
            else None
        )
    return None


# Screens


@dataclass(frozen=True)
class Screen:
    text: str
    ends: bool = False

    def render(self) -> str:
        """The answer's body: ``CON`` (waits for input) or ``END`` (last screen) and the text."""
        return f"{'END' if self.ends else 'CON'} {self.text}"


@dataclass
class Countries:
    """The labels of the listed countries in the active language (one query)."""

    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Countries:
        found = {
            country.code: country.label
            for country in Country.objects.filter(code__in=COUNTRY_CODES)
        }
        return cls({code: found.get(code, code) for code in COUNTRY_CODES})

    def label(self, code: str | None) -> str:
        if not code:
            return pgettext("place", "Other")
        return self.labels.get(code, code)


def _lines(*lines: str) -> str:
    return "\n".join(lines)


def _call_time_label(call_time: str) -> str:
    return {
        "any_time": _("Any time"),
        "morning": _("Morning"),
        "afternoon": _("Afternoon"),
        "evening": _("Evening"),
    }[call_time]


def screen(session: Session) -> Screen:
    """The screen for where the session is, in its language (not for REPORT or CALL_BACK)."""
    if session.step == Step.LANGUAGE:
        # Before a language is chosen: both languages at once.
        body = _lines("Okoa", *(f"{n} {name}" for n, (_code, name) in enumerate(LANGUAGES, 1)))
        invalid = "Invalid choice / Chaguo si sahihi"
        return Screen(_lines(invalid, body) if session.invalid else body)
    with translation.override(session.language):
        found = _screen(session)
        if session.invalid and not found.ends:
            return Screen(_lines(_("Invalid choice."), found.text))
        return found


def _screen(session: Session) -> Screen:
    step = session.step
    if step == Step.MENU:
        return Screen(
            _lines(
                "Okoa",
                _("1 Report someone in danger"),
                _("2 Ask for a call back"),
                _("0 Exit"),
            )
        )
    if step == Step.COUNTRY:
        countries = Countries.load()
        options = [f"{n} {countries.label(code)}" for n, code in enumerate(COUNTRY_CODES, 1)]
        other = f"{len(COUNTRY_CODES) + 1} {countries.label(OTHER_COUNTRY)}"
        return Screen(_lines(_("Where is the person?"), *options, other))
    if step == Step.DANGER:
        return Screen(_lines(_("Is someone in danger now?"), "1 " + _("Yes"), "2 " + _("No")))
    if step == Step.PEOPLE:
        return Screen(_("How many people need help? Enter a number."))
    if step == Step.CONFIRM:
        countries = Countries.load()
        return Screen(
            _lines(
                _("Send this report?"),
                _("Where: %(place)s") % {"place": countries.label(session.country)},
                _("In danger now: %(answer)s")
                % {"answer": _("Yes") if session.danger_now else _("No")},
                _("People: %(count)d") % {"count": session.people or 0},
                _("1 Send"),
                _("2 Cancel"),
            )
        )
    if step == Step.CALL_TIME:
        return Screen(
            _lines(
                _("We will call this number back. When is it safe to call?"),
                *(f"{n} {_call_time_label(time)}" for n, time in enumerate(CALL_TIMES, 1)),
                _("0 Cancel"),
            )
        )
    if step == Step.EXIT:
        return Screen(_("Thank you. Dial again at any time."), ends=True)
    if step == Step.CANCELLED:
        return Screen(_("Nothing was sent. Dial again at any time."), ends=True)
    raise ValueError(f"No screen for {step}")


def received_screen(session: Session, reference: str, pin: str) -> Screen:
    """The last screen of a recorded report or call-back request: reference and PIN."""
    values = {"reference": reference, "pin": pin}
    with translation.override(session.language):
        if session.step == Step.CALL_BACK:
            text = _(
                "Thank you. We will call you back on this number. Reference %(reference)s, "
                "PIN %(pin)s. Keep them to follow it up."
            )
        else:
            text = _(
                "Report received. Reference %(reference)s, PIN %(pin)s. Keep them to follow it "
                "up. We will contact you on this number."
            )
        return Screen(text % values, ends=True)


def limit_screen(session: Session) -> Screen:
    """The last screen for a number that sent its hour's reports already: nothing recorded."""
    with translation.override(session.language):
        return Screen(
            _(
                "We have received several reports from this number in the last hour and will "
                "contact you. Please dial again later to send another."
            ),
            ends=True,
        )


def answered_before_screen(session: Session) -> Screen:
    """The last screen repeated for a report whose screen was erased since (no PIN left)."""
    with translation.override(session.language):
        return Screen(_("Your report was received. Thank you."), ends=True)


def not_saved_screen(session: Session) -> Screen:
    """The last screen when the database could not take the report (a rare, long lock)."""
    with translation.override(session.language):
        return Screen(
            _(
                "Sorry, your report could not be saved just now. "
                "Please dial again in a few minutes."
            ),
            ends=True,
        )


# Recording


def report_values(session: Session, request: UssdRequest) -> dict[str, Any]:
    """The report a finished session makes; its narrative in the site's language for staff."""
    with translation.override(settings.LANGUAGE_CODE):
        if session.step == Step.CALL_BACK:
            time = _call_time_label(session.call_time)
            return {
                "reporter_phone": request.phone_number,
                "safe_contact": _("Call back. Safe time to call: %(time)s.") % {"time": time},
                "narrative": _("Asked by USSD for a call back on this number."),
            }
        country = Country.objects.filter(code=session.country).first() if session.country else None
        place = country.label if country else _("another country")
        return {
            "reporter_phone": request.phone_number,
            "location_country": country,
            "immediate_danger": bool(session.danger_now),
            "estimated_people": session.people,
            "narrative": _(
                "Reported by USSD: someone needs help in %(place)s. In danger now: %(answer)s. "
                "Number of people: %(count)d."
            )
            % {
                "place": place,
                "answer": _("Yes") if session.danger_now else _("No"),
                "count": session.people or 0,
            },
        }


def answer(request: UssdRequest) -> str:
    """The gateway's answer to one request: the next screen, or the report's last screen."""
    session = read(request.inputs)
    if session.step not in (Step.REPORT, Step.CALL_BACK):
        return screen(session).render()
    previous = UssdSession.objects.filter(session_id=request.session_id).first()
    if previous is not None:  # the gateway repeated the last request
        return previous.answer or answered_before_screen(session).render()
    values = report_values(session, request)
    # Read before the transaction, which holds the database's write lock (SQLite) throughout.
    organisation = receiving_organisation(Channel.USSD)
    return with_database_retry(lambda: _record(session, request, organisation, values))


def _record(
    session: Session, request: UssdRequest, organisation: Organisation, values: dict[str, Any]
) -> str:
    # One transaction: the report and its last screen exist together or not at all.
    with transaction.atomic():
        if delivered_report(Channel.USSD, request.session_id) is None:
            hits = count_attempts("ussd_phone", names.normalise_phone(request.phone_number))
            if hits > RATE_LIMITS["ussd_phone"].limit:
                # A count only: never the number.
                logger.warning(
                    "Refused a USSD report from a number over its limit of %d new reports an "
                    "hour (%d from it in this hour).",
                    RATE_LIMITS["ussd_phone"].limit,
                    hits,
                )
                return limit_screen(session).render()
        received = create_report(
            organisation,
            channel=Channel.USSD,
            by=None,
            external_id=request.session_id,
            source_detail=request.service_code,
            language=session.language,
            **values,
        )
        report: Report = received.report
        if not received.created:
            previous = UssdSession.objects.filter(session_id=request.session_id).first()
            if previous is not None:
                return previous.answer or answered_before_screen(session).render()
        # A report without its session row cannot be told apart from a new one: give it a new
        # PIN (the old one was never shown, or cannot be shown again).
        pin = received.pin or reissue_report_pin(report, by=None)
        rendered = received_screen(session, report.reference, pin).render()
        UssdSession.objects.create(session_id=request.session_id, report=report, answer=rendered)
        return rendered
