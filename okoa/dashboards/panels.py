"""The panels of the dashboards: the caseworker's day and the supervisor's view of the team.

A *panel* is one small function ``(board) -> Panel | None`` (None: nothing for this member)
that asks the access functions of the apps it reads (never a model directly) and turns their
rows into lines, plus the template include that shows it (``dashboards/_rows.html`` unless the
panel names its own). Add a panel (shelters, referrals...) by writing its function here and
listing it in ``DAY_PANELS`` or ``TEAM_PANELS``.

Privacy: a line names a case by its reference; the survivor's name only for members who see
identities (``Board.show_names``), and free text (a goal, the reason a closure came back) only
for them too. Every record a line shows is noted on the board (``Board.read``) and the view
writes one access record per record shown. Each panel costs a fixed number of queries,
whatever the number of lines: rows come with their case (``with_case_for_rows``), at most
``ROWS_SHOWN`` lines are shown, and the total is counted only when there are more.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from okoa.accounts.models import Capability, Membership
from okoa.audit.actions import record_accesses
from okoa.care.access import (
    can_see_care_text,
    cases_with_rising_risk_for_user,
    closure_requests_waiting_for_user,
    follow_ups_due_for_user,
    goals_due_for_user,
    grants_waiting_for_user,
    hearings_for_user,
    overdue_before,
    overdue_follow_up_counts_for_user,
    returned_closures_for_user,
    services_to_record_for_user,
)
from okoa.care.models import RiskLevel
from okoa.cases.access import (
    can_see_identities,
    caseload_for_user,
    quiet_cases_for_user,
    unassigned_cases_for_user,
)
from okoa.cases.forms import assignable_users
from okoa.cases.models import Case
from okoa.referrals.access import can_see_referrals, overdue_referrals_for_user
from okoa.retention.access import erasure_requests_waiting_for_user

# More lines than anybody reads at once; the panel says how many there are in all.
ROWS_SHOWN = 50
# The caseworker's day looks this far ahead.
FOLLOW_UPS_AHEAD_DAYS = 7
GOALS_AHEAD_DAYS = 7
HEARINGS_AHEAD_DAYS = 14
# A case with nothing on its timeline for this long is "quiet".
QUIET_AFTER_DAYS = 30
# A returned closure request stays on the day this long (unless the case moves on before).
RETURNED_SHOWN_DAYS = 30
NOTE_LENGTH = 120


@dataclass(frozen=True)
class Line:
    """One line of a panel, as text: what to do, on which case, and where it is done."""

    url: str
    what: str
    reference: str = ""
    survivor: str = ""  # empty for members who do not see identities
    when: datetime.date | None = None
    flag: str = ""  # a word that needs attention: "overdue"...
    note: str = ""


@dataclass
class Panel:
    """One panel: its lines (at most ``ROWS_SHOWN``) and how many there are in all."""

    key: str  # the panel's anchor on the page, and its name in tests
    title: str
    total: int
    lines: list[Line] = field(default_factory=list)
    when_label: str = ""  # what a line's date is (due, target date...)
    empty: str = ""
    more_url: str = ""
    more_label: str = ""
    template: str = "dashboards/_rows.html"
    table: Any = None  # what a panel with its own template shows


@dataclass
class Board:
    """What the panels need to know about the member, and the records they showed."""

    membership: Membership
    today: datetime.date
    now: datetime.datetime
    reads: dict[str, list[str]] = field(default_factory=dict)
    _overdue_before: datetime.date | None = None

    @classmethod
    def for_member(cls, membership: Membership) -> Board:
        return cls(membership=membership, today=timezone.localdate(), now=timezone.now())

    @property
    def show_names(self) -> bool:
        return can_see_identities(self.membership)

    @property
    def overdue_before(self) -> datetime.date:
        """Follow-ups due before this day and not recorded are overdue (read once)."""
        if self._overdue_before is None:
            self._overdue_before = overdue_before(self.membership.organisation_id, self.today)
        return self._overdue_before

    def read(self, record_kind: str, record_code: str) -> None:
        """Note that a line shows this record (the view logs each one once)."""
        codes = self.reads.setdefault(record_kind, [])
        if record_code not in codes:
            codes.append(record_code)

    def build(self, panels: Iterable[PanelFunction]) -> list[Panel]:
        return [panel for function in panels if (panel := function(self)) is not None]

    def record_reads(self, request: HttpRequest) -> None:
        """Write one access record per record shown (one query per kind of record)."""
        for record_kind, codes in self.reads.items():
            if codes:
                record_accesses(
                    self.membership,
                    record_kind=record_kind,
                    record_codes=codes,
                    channel="page",
                    request=request,
                )


PanelFunction = Callable[[Board], Panel | None]


def _take(rows: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first ``ROWS_SHOWN`` rows and how many there are (counted only when there are more)."""
    shown = list(rows[: ROWS_SHOWN + 1])
    if len(shown) <= ROWS_SHOWN:
        return shown, len(shown)
    return shown[:ROWS_SHOWN], rows.count()


def _case_line(board: Board, case: Case, *, url: str, what: str, **values: Any) -> Line:
    """A line about ``case``; its survivor's name only for those who see identities."""
    board.read("case", case.code)
    survivor = case.person.display_name if board.show_names else ""
    return Line(url=url, what=what, reference=case.reference, survivor=survivor, **values)


def _note(text: str) -> str:
    return Truncator(text).chars(NOTE_LENGTH)


def _caseworker(case: Case) -> str:
    caseworker = case.assigned_to
    return caseworker.full_name if caseworker else _("Nobody")


# The caseworker's day: the member's own cases.


def follow_ups_due(board: Board) -> Panel:
    """Follow-up visits due in the next days, and those overdue."""
    until = board.today + datetime.timedelta(days=FOLLOW_UPS_AHEAD_DAYS)
    visits, total = _take(follow_ups_due_for_user(board.membership, until=until))
    lines = [
        _case_line(
            board,
            visit.case,
            url=reverse("care:visit", kwargs={"case_code": visit.case.code, "code": visit.code}),
            what=_("Follow-up at %(month)s months") % {"month": visit.month},
            when=visit.due_on,
            flag=_("overdue") if visit.due_on < board.overdue_before else "",
        )
        for visit in visits
    ]
    return Panel(
        key="follow-ups",
        title=_("Follow-ups due"),
        when_label=_("Due"),
        total=total,
        lines=lines,
        empty=_("No follow-up visit is due in the next seven days."),
        more_url=reverse("care:overdue"),
        more_label=_("All overdue follow-ups"),
    )


def sessions_to_record(board: Board) -> Panel:
    """Services in progress with fewer sessions (or items) delivered than planned."""
    services, total = _take(services_to_record_for_user(board.membership))
    lines = [
        _case_line(
            board,
            service.plan.case,
            url=reverse(
                "care:service", kwargs={"case_code": service.plan.case.code, "code": service.code}
            ),
            what=_("%(service)s: %(delivered)s of %(planned)s")
            % {
                "service": service.get_kind_display(),
                "delivered": service.delivered_count,
                "planned": service.planned_count,
            },
            when=timezone.localtime(service.updated_at).date(),
        )
        for service in services
    ]
    return Panel(
        key="sessions",
        title=_("Sessions to record"),
        when_label=_("Last recorded"),
        total=total,
        lines=lines,
        empty=_("No service in progress is waiting for sessions to be recorded."),
    )


def goals_due(board: Board) -> Panel:
    """Open care goals whose target date is near or past."""
    until = board.today + datetime.timedelta(days=GOALS_AHEAD_DAYS)
    goals, total = _take(goals_due_for_user(board.membership, until=until))
    show_text = can_see_care_text(board.membership)
    lines = [
        _case_line(
            board,
            goal.plan.case,
            url=reverse("care:goal", kwargs={"case_code": goal.plan.case.code, "code": goal.code}),
            what=goal.get_area_display(),
            when=goal.target_on,
            flag=_("past the target date") if goal.target_on < board.today else "",
            note=_note(goal.description) if show_text else "",
        )
        for goal in goals
    ]
    return Panel(
        key="goals",
        title=_("Care goals due"),
        when_label=_("Target date"),
        total=total,
        lines=lines,
        empty=_("No open goal reaches its target date in the next seven days."),
    )


def hearings(board: Board) -> Panel:
    """Court hearings in the next two weeks."""
    until = board.today + datetime.timedelta(days=HEARINGS_AHEAD_DAYS)
    found, total = _take(hearings_for_user(board.membership, start=board.today, until=until))
    lines = [
        _case_line(
            board,
            hearing.legal_process.case,
            url=reverse("care:legal", kwargs={"case_code": hearing.legal_process.case.code}),
            what=_("Court hearing"),
            when=hearing.held_on,
            note=hearing.legal_process.court,
        )
        for hearing in found
    ]
    return Panel(
        key="hearings",
        title=_("Hearings"),
        when_label=_("Hearing date"),
        total=total,
        lines=lines,
        empty=_("No hearing in the next two weeks."),
    )


def quiet_cases(board: Board) -> Panel:
    """Open cases of the member with nothing on their timeline for a month."""
    since = board.now - datetime.timedelta(days=QUIET_AFTER_DAYS)
    cases, total = _take(quiet_cases_for_user(board.membership, since=since))
    lines = []
    for case in cases:
        last = case.last_activity or case.opened_at
        lines.append(
            _case_line(
                board,
                case,
                url=reverse("cases:detail", kwargs={"code": case.code}),
                what=_("No activity"),
                when=timezone.localtime(last).date(),
            )
        )
    return Panel(
        key="quiet",
        title=_("No activity for 30 days"),
        when_label=_("Last activity"),
        total=total,
        lines=lines,
        empty=_("Every case of yours has had activity in the last 30 days."),
    )


def returned_closures(board: Board) -> Panel:
    """Closure requests of the member that a supervisor sent back."""
    since = board.now - datetime.timedelta(days=RETURNED_SHOWN_DAYS)
    rows = returned_closures_for_user(board.membership, since=since)
    # The reason is free text that may name people: opened only for those who see it.
    returns, total = _take(rows if board.show_names else rows.defer("text"))
    lines = [
        _case_line(
            board,
            event.case,
            url=reverse("care:closure", kwargs={"case_code": event.case.code}),
            what=_("Returned by %(name)s") % {"name": event.by.full_name if event.by else "—"},
            when=timezone.localtime(event.at).date(),
            note=_note(event.text) if board.show_names else "",
        )
        for event in returns
    ]
    return Panel(
        key="returned",
        title=_("Closure requests returned"),
        when_label=_("Returned on"),
        total=total,
        lines=lines,
        empty=_("No closure request of yours came back in the last 30 days."),
    )


# The supervisor's view: the whole organisation.


@dataclass(frozen=True)
class CaseloadRow:
    name: str  # empty for the cases nobody is assigned to
    counts: list[tuple[str, int]]  # (status label, open cases) for each of ``OPEN_STATUSES``
    total: int


OPEN_STATUSES = [status for status in Case.Status if status != Case.Status.CLOSED]


def caseload(board: Board) -> Panel:
    """Open cases per caseworker and status; every member who works on cases, even with none."""
    by_user: dict[int | None, tuple[str, dict[str, int]]] = {
        user.pk: (user.full_name, {}) for user in assignable_users(board.membership.organisation_id)
    }
    # A former member may still hold cases: they appear too, by the name they had.
    for user_id, name, status, number in caseload_for_user(board.membership):
        by_user.setdefault(user_id, (name or "", {}))[1][status] = number
    rows = [
        CaseloadRow(
            name=name if user_id is not None else "",
            counts=[(str(status.label), counts.get(status, 0)) for status in OPEN_STATUSES],
            total=sum(counts.values()),
        )
        for user_id, (name, counts) in by_user.items()
    ]
    # Caseworkers by name; the unassigned cases last.
    rows.sort(key=lambda row: (not row.name, row.name))
    return Panel(
        key="caseload",
        title=_("Open cases per caseworker"),
        total=sum(row.total for row in rows),
        empty=_("Nobody works on cases here yet."),
        template="dashboards/_caseload.html",
        table={"statuses": [status.label for status in OPEN_STATUSES], "rows": rows},
    )


def approvals_waiting(board: Board) -> Panel:
    """What waits for a supervisor: closures, business grants, erasures; the oldest first."""
    membership = board.membership
    closures, closures_total = _take(closure_requests_waiting_for_user(membership))
    grants, grants_total = _take(grants_waiting_for_user(membership))
    erasures, erasures_total = _take(erasure_requests_waiting_for_user(membership))
    lines: list[tuple[datetime.datetime | datetime.date | None, Line]] = []
    for case in closures:
        lines.append(
            (
                case.requested_at,
                _case_line(
                    board,
                    case,
                    url=reverse("care:closure", kwargs={"case_code": case.code}),
                    what=_("Closure requested by %(name)s")
                    % {"name": case.requested_by or _caseworker(case)},
                    when=timezone.localtime(case.requested_at).date()
                    if case.requested_at
                    else None,
                ),
            )
        )
    for plan in grants:
        lines.append(
            (
                None,
                _case_line(
                    board,
                    plan.case,
                    url=reverse("care:livelihood", kwargs={"case_code": plan.case.code}),
                    what=_("Business grant of KES %(budget)s") % {"budget": f"{plan.budget:,.0f}"},
                    note=_caseworker(plan.case),
                ),
            )
        )
    for erasure_request in erasures:
        board.read("erasure_request", erasure_request.code)
        person = erasure_request.person
        survivor = ""
        if board.show_names:
            survivor = person.display_name
            if person.erased_at is None:
                board.read("person", person.code)
        mine = erasure_request.requested_by_id == membership.user_id
        lines.append(
            (
                erasure_request.requested_at,
                Line(
                    url=reverse("retention:request_detail", kwargs={"code": erasure_request.code}),
                    what=_("Erasure of an identity, asked by %(name)s")
                    % {"name": erasure_request.requested_by.full_name},
                    survivor=survivor,
                    when=timezone.localtime(erasure_request.requested_at).date(),
                    note=_("You asked: another supervisor or administrator decides.")
                    if mine
                    else "",
                ),
            )
        )
    # Undated lines (grants record no submission date) after the dated ones.
    lines.sort(key=lambda pair: (pair[0] is None, _sort_key(pair[0])))
    return Panel(
        key="approvals",
        title=_("Waiting for approval"),
        when_label=_("Waiting since"),
        total=closures_total + grants_total + erasures_total,
        lines=[line for _when, line in lines],
        empty=_("Nothing waits for a supervisor's decision."),
    )


def _sort_key(value: datetime.datetime | datetime.date | None) -> datetime.datetime:
    if value is None:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time(), tzinfo=datetime.UTC)


@dataclass(frozen=True)
class OverdueRow:
    name: str  # empty for the cases nobody is assigned to
    number: int


def overdue_by_caseworker(board: Board) -> Panel:
    """How many follow-ups are overdue on each caseworker's cases."""
    counts = overdue_follow_up_counts_for_user(board.membership, before=board.overdue_before)
    rows = [
        OverdueRow(name=(name or "") if user_id is not None else "", number=number)
        for user_id, name, number in counts
    ]
    return Panel(
        key="overdue",
        title=_("Overdue follow-ups per caseworker"),
        total=sum(row.number for row in rows),
        empty=_("No follow-up is overdue."),
        more_url=reverse("care:overdue"),
        more_label=_("See every overdue follow-up"),
        template="dashboards/_overdue.html",
        table=rows,
    )


def rising_risk(board: Board) -> Panel:
    """Open cases whose latest follow-up found a high or a rising re-trafficking risk."""
    cases, total = _take(cases_with_rising_risk_for_user(board.membership))
    labels = dict(RiskLevel.choices)
    lines = []
    for case in cases:
        if case.previous_risk and case.previous_risk != case.latest_risk:
            what = _("Risk %(latest)s (was %(previous)s)") % {
                "latest": labels[case.latest_risk],
                "previous": labels[case.previous_risk],
            }
        else:
            what = _("Risk %(latest)s") % {"latest": labels[case.latest_risk]}
        lines.append(
            _case_line(
                board,
                case,
                url=reverse("care:follow_ups", kwargs={"case_code": case.code}),
                what=what,
                when=case.latest_visit_on,
                note=_caseworker(case),
            )
        )
    return Panel(
        key="risk",
        title=_("Re-trafficking risk high or rising"),
        when_label=_("Latest visit"),
        total=total,
        lines=lines,
        empty=_("No recorded follow-up shows a high or rising risk."),
    )


def unassigned(board: Board) -> Panel:
    """Open cases nobody is assigned to."""
    cases, total = _take(unassigned_cases_for_user(board.membership))
    lines = [
        _case_line(
            board,
            case,
            url=reverse("cases:detail", kwargs={"code": case.code}),
            what=case.get_status_display(),
            when=timezone.localtime(case.opened_at).date(),
        )
        for case in cases
    ]
    return Panel(
        key="unassigned",
        title=_("Cases without a caseworker"),
        when_label=_("Opened"),
        total=total,
        lines=lines,
        empty=_("Every open case has a caseworker."),
    )


def overdue_referrals(board: Board) -> Panel | None:
    """Referrals sent or received by the organisation and not answered in time (no names)."""
    if not can_see_referrals(board.membership):
        return None
    referrals, total = _take(overdue_referrals_for_user(board.membership))
    own = board.membership.organisation_id
    lines = [
        Line(
            url=reverse("referrals:detail", kwargs={"code": referral.code}),
            what=(
                _("Referral to %(organisation)s: %(service)s")
                if referral.from_organisation_id == own
                else _("Referral from %(organisation)s: %(service)s")
            )
            % {
                "organisation": (
                    referral.to_organisation
                    if referral.from_organisation_id == own
                    else referral.from_organisation
                ).name,
                "service": referral.get_service_kind_display(),
            },
            when=timezone.localtime(referral.respond_by).date(),
            flag=_("overdue"),
            note=referral.get_urgency_display(),
        )
        for referral in referrals
    ]
    return Panel(
        key="referrals-overdue",
        title=_("Referrals waiting too long for an answer"),
        when_label=_("Answer expected by"),
        total=total,
        lines=lines,
        empty=_("No referral sent or received is past its answer deadline."),
        more_url=reverse("referrals:received") + "?overdue=1",
        more_label=_("Overdue referrals received"),
    )


DAY_PANELS: list[PanelFunction] = [
    follow_ups_due,
    sessions_to_record,
    goals_due,
    hearings,
    quiet_cases,
    returned_closures,
    overdue_referrals,
]
TEAM_PANELS: list[PanelFunction] = [
    approvals_waiting,
    caseload,
    overdue_by_caseworker,
    rising_risk,
    unassigned,
]


def can_see_day(membership: Membership | None) -> bool:
    """Members who work on cases have a day to plan (the panels list their own cases)."""
    return bool(membership) and membership.can(Capability.EDIT_CASES)  # type: ignore[union-attr]


def can_see_team(membership: Membership | None) -> bool:
    """Supervisors and organisation administrators see the whole team."""
    return bool(membership) and membership.can(Capability.SUPERVISE)  # type: ignore[union-attr]
