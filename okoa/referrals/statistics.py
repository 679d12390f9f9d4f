"""Referral statistics: counts by status, time to acceptance, completion rate, declines by reason.

For one organisation, the referrals it sent and those it received (separately); for members of
a Counter-Trafficking secretariat, across every organisation as well. Each is broken down by
organisation (the other side; both sides across organisations) and by kind of service, over a
period of sending dates.

Counts only: no name, no case reference, no referral code leaves this module. In the
secretariat's view across organisations a count of 1 to 4 is shown as "<5", and a median, a
90th percentile or a rate resting on fewer than 5 referrals is not shown, so that a rare
combination (one repatriation by one embassy in a month) does not point at one survivor.

Cost: one query for the referrals of the period (a few columns each, no personal data), one for
the organisations' names; the figures are computed in Python (percentiles are not portable
SQL). ``MAX_ROWS`` bounds the memory a period can take.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from okoa.accounts.models import Capability, Membership, Organisation
from okoa.directory.models import ServiceKind
from okoa.referrals.models import Referral

SMALL_CELL = 5
MAX_ROWS = 200_000
Status = Referral.Status
DeclineReason = Referral.DeclineReason


class Scope(models.TextChoices):
    """Whose referrals are counted."""

    SENT = "sent", gettext_lazy("Referrals we sent")
    RECEIVED = "received", gettext_lazy("Referrals we received")
    ALL = "all", gettext_lazy("All organisations")


def scopes_for(membership: Membership | None) -> list[Scope]:
    """The scopes the member may see; a member without statistics may see none (403)."""
    if not membership or not membership.can(Capability.VIEW_STATISTICS):
        raise PermissionDenied(_("Your role does not include statistics."))
    scopes = [Scope.SENT, Scope.RECEIVED]
    if membership.organisation.kind == Organisation.Kind.CTIP_SECRETARIAT:
        scopes.append(Scope.ALL)
    return scopes


@dataclass(frozen=True)
class Period:
    """Referrals sent from ``start`` to ``end``, both days included (local dates)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def default(cls, today: datetime.date | None = None) -> Period:
        """The last 90 days, today included."""
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=89), today)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        end = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, end


@dataclass
class Figures:
    """The figures of one group of referrals."""

    label: str
    statuses: Counter[str] = field(default_factory=Counter)
    declines: Counter[str] = field(default_factory=Counter)
    hours_to_acceptance: list[float] = field(default_factory=list)

    def add(self, status: str, reason: str, hours: float | None) -> None:
        self.statuses[status] += 1
        if status == Status.DECLINED and reason:
            self.declines[reason] += 1
        if hours is not None:
            self.hours_to_acceptance.append(hours)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def closed(self) -> int:
        return sum(self.statuses[status] for status in Referral.CLOSED_STATUSES)

    @property
    def completion_rate(self) -> float | None:
        """Completed out of closed (declined, completed, withdrawn), or None if none closed."""
        closed = self.closed
        return self.statuses[Status.COMPLETED] / closed if closed else None

    @property
    def median_hours(self) -> float | None:
        hours = self.hours_to_acceptance
        return statistics.median(hours) if hours else None

    @property
    def p90_hours(self) -> float | None:
        hours = sorted(self.hours_to_acceptance)
        if not hours:
            return None
        if len(hours) == 1:
            return hours[0]
        return statistics.quantiles(hours, n=10, method="inclusive")[8]


@dataclass
class Breakdown:
    title: str
    rows: list[Figures]


@dataclass
class Report:
    """The statistics of one scope and period: the whole, and its breakdowns."""

    scope: Scope
    period: Period
    overall: Figures
    breakdowns: list[Breakdown]
    suppress_small: bool


def _hours(sent_at: datetime.datetime, accepted_at: datetime.datetime | None) -> float | None:
    if accepted_at is None:
        return None
    return max((accepted_at - sent_at).total_seconds(), 0.0) / 3600


def referral_statistics(membership: Membership, scope: Scope, period: Period) -> Report:
    """Compute the statistics of ``scope`` for the member (``scopes_for`` says which it may)."""
    if scope not in scopes_for(membership):
        raise PermissionDenied(_("Only the secretariat sees all organisations."))
    start, end = period.bounds()
    referrals = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
    organisation_id = membership.organisation_id
    if scope == Scope.SENT:
        referrals = referrals.filter(from_organisation_id=organisation_id)
    elif scope == Scope.RECEIVED:
        referrals = referrals.filter(to_organisation_id=organisation_id)
    rows = list(
        referrals.order_by().values_list(
            "from_organisation_id",
            "to_organisation_id",
            "service_kind",
            "status",
            "decline_reason",
            "sent_at",
            "accepted_at",
        )[:MAX_ROWS]
    )
    organisation_ids = {row[0] for row in rows} | {row[1] for row in rows}
    names = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))
    kinds = dict(ServiceKind.choices)

    overall = Figures(_("All referrals"))
    by_receiver: dict[int, Figures] = {}
    by_sender: dict[int, Figures] = {}
    by_kind: dict[str, Figures] = {}
    for sender, receiver, kind, status, reason, sent_at, accepted_at in rows:
        hours = _hours(sent_at, accepted_at)
        groups = [
            overall,
            _group(by_kind, kind, str(kinds.get(kind, kind))),
        ]
        if scope != Scope.RECEIVED:
            groups.append(_group(by_receiver, receiver, names.get(receiver, "")))
        if scope != Scope.SENT:
            groups.append(_group(by_sender, sender, names.get(sender, "")))
        for group in groups:
            group.add(status, reason, hours)

    breakdowns = []
    if scope != Scope.RECEIVED:
        breakdowns.append(Breakdown(_("By receiving organisation"), _sorted(by_receiver)))
    if scope != Scope.SENT:
        breakdowns.append(Breakdown(_("By sending organisation"), _sorted(by_sender)))
    breakdowns.append(Breakdown(_("By kind of service"), _sorted(by_kind)))
    return Report(
        scope=scope,
        period=period,
        overall=overall,
        breakdowns=breakdowns,
        suppress_small=scope == Scope.ALL,
    )


def _group(groups: dict, key: object, label: str) -> Figures:
    if key not in groups:
        groups[key] = Figures(label)
    return groups[key]


def _sorted(groups: dict) -> list[Figures]:
    return sorted(groups.values(), key=lambda figures: (-figures.total, figures.label))


# How the figures are shown (on the page and in the CSV file) ------------------------------------


STATUS_COLUMNS: tuple[str, ...] = tuple(Status.values)
DECLINE_COLUMNS: tuple[str, ...] = tuple(DeclineReason.values)


def count_text(count: int, *, suppress: bool) -> str:
    """A count as shown: "<5" for 1 to 4 when small cells are suppressed."""
    if suppress and 0 < count < SMALL_CELL:
        return f"<{SMALL_CELL}"
    return str(count)


def _hours_text(value: float | None, basis: int, suppress: bool) -> str:
    if value is None or (suppress and basis < SMALL_CELL):
        return "—"
    return f"{value:.1f}"


def _rate_text(figures: Figures, suppress: bool) -> str:
    rate = figures.completion_rate
    if rate is None or (suppress and figures.closed < SMALL_CELL):
        return "—"
    return f"{round(rate * 100)}%"


@dataclass(frozen=True)
class Line:
    """One row of figures, as text."""

    label: str
    total: str
    statuses: list[str]
    # The same counts with their statuses' labels, for the page.
    status_cells: list[tuple[str, str]]
    median_hours: str
    p90_hours: str
    completion_rate: str
    declines: list[str]
    # Only the reasons given at least once, for the page ("No capacity now: 3").
    decline_summary: list[tuple[str, str]]


def line(figures: Figures, *, suppress: bool) -> Line:
    accepted = len(figures.hours_to_acceptance)
    reasons = dict(DeclineReason.choices)
    return Line(
        label=figures.label,
        total=count_text(figures.total, suppress=suppress),
        statuses=[count_text(figures.statuses[s], suppress=suppress) for s in STATUS_COLUMNS],
        status_cells=[
            (str(Status(s).label), count_text(figures.statuses[s], suppress=suppress))
            for s in STATUS_COLUMNS
        ],
        median_hours=_hours_text(figures.median_hours, accepted, suppress),
        p90_hours=_hours_text(figures.p90_hours, accepted, suppress),
        completion_rate=_rate_text(figures, suppress),
        declines=[count_text(figures.declines[r], suppress=suppress) for r in DECLINE_COLUMNS],
        decline_summary=[
            (str(reasons[reason]), count_text(count, suppress=suppress))
            for reason, count in figures.declines.most_common()
        ],
    )


def csv_header() -> list[str]:
    return [
        _("Breakdown"),
        _("Group"),
        _("Referrals"),
        *(str(Status(status).label) for status in STATUS_COLUMNS),
        _("Median hours to acceptance"),
        _("90th percentile hours to acceptance"),
        _("Completion rate (completed of closed)"),
        *(_("Declined: %(reason)s") % {"reason": DeclineReason(r).label} for r in DECLINE_COLUMNS),
    ]


def csv_rows(report: Report) -> Iterable[list[str]]:
    suppress = report.suppress_small
    groups: list[tuple[str, Figures]] = [(_("All"), report.overall)]
    for breakdown in report.breakdowns:
        groups += [(breakdown.title, figures) for figures in breakdown.rows]
    for title, figures in groups:
        shown = line(figures, suppress=suppress)
        yield [
            title,
            shown.label,
            shown.total,
            *shown.statuses,
            shown.median_hours,
            shown.p90_hours,
            shown.completion_rate,
            *shown.declines,
        ]
