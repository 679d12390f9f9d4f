"""The case page's screening panel (``screening/case_panel.html``) loads its data here."""

from __future__ import annotations

from typing import Any

from django import template

from okoa.audit.actions import record_access
from okoa.cases.models import Case
from okoa.screening.access import latest_screening_for_user
from okoa.screening.models import Screening

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_screening(context: dict[str, Any], case: Case) -> Screening | None:
    """The case's latest screening for the current member, its read recorded; None if none."""
    membership = context.get("membership")
    if not membership:
        return None
    screening = latest_screening_for_user(membership, case)
    if screening is not None:
        record_access(
            membership,
            record_kind="screening",
            record_code=screening.code,
            channel="page",
            request=context.get("request"),
        )
    return screening
