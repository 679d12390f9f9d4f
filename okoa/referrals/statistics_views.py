"""Referral statistics pages: the figures of a scope and period, and the same as a CSV file.

The scope and the period travel in the query string (they are no personal data). Counts only:
no person's record is read, so these pages leave no access record.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from okoa.accounts.views import current_membership
from okoa.lib.csv_export import write_csv
from okoa.referrals.models import Referral
from okoa.referrals.statistics import (
    STATUS_COLUMNS,
    Period,
    Report,
    Scope,
    csv_header,
    csv_rows,
    line,
    referral_statistics,
    scopes_for,
)

# A longer period is refused: it would read many years of referrals at once.
MAX_DAYS = 3 * 366


class StatisticsForm(forms.Form):
    """Which referrals to count: whose, and sent between which dates."""

    scope = forms.ChoiceField(label=_("Referrals"))
    start = forms.DateField(
        label=_("Sent from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Sent until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, scopes: list[Scope], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = [(choice.value, choice.label) for choice in scopes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        default = Period.default()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if start > end:
            self.add_error("end", _("The end of the period comes after its start."))
        elif (end - start).days >= MAX_DAYS:
            self.add_error("start", _("Choose a period of at most three years."))
        else:
            data["period"], data["scope"] = Period(start, end), Scope(data["scope"])
        return data


def _parse(request: HttpRequest) -> tuple[StatisticsForm, Report | None]:
    """Read scope and period from the query string (defaults: sent, the last 90 days)."""
    membership = current_membership(request)
    scopes = scopes_for(membership)  # 403 without statistics
    default = Period.default()
    data = {
        "scope": Scope.SENT.value,
        "start": default.start.isoformat(),
        "end": default.end.isoformat(),
        **request.GET.dict(),
    }
    form = StatisticsForm(data, scopes=scopes)
    if not form.is_valid() or membership is None:
        return form, None
    return form, referral_statistics(
        membership, form.cleaned_data["scope"], form.cleaned_data["period"]
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts, times to acceptance, completion rate and declines of the chosen referrals."""
    form, report = _parse(request)
    context: dict[str, Any] = {"form": form, "report": report}
    if report is not None:
        suppress = report.suppress_small
        context |= {
            "overall": line(report.overall, suppress=suppress),
            "tables": [
                (_("All referrals"), [line(report.overall, suppress=suppress)]),
                *(
                    (part.title, [line(figures, suppress=suppress) for figures in part.rows])
                    for part in report.breakdowns
                ),
            ],
            "status_labels": [Referral.Status(status).label for status in STATUS_COLUMNS],
            "query": request.GET.urlencode(),
        }
    status = 400 if report is None else 200
    return render(request, "referrals/statistics.html", context, status=status)


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as a CSV file (small cells suppressed as on the page)."""
    form, report = _parse(request)
    if report is None:
        return render(request, "referrals/statistics.html", {"form": form}, status=400)
    response = HttpResponse(
        write_csv(csv_header(), csv_rows(report)), content_type="text/csv; charset=utf-8"
    )
    period = report.period
    name = f"okoa-referrals-{report.scope.value}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
