"""Screening pages: the questionnaire, a screening with its suggestion and decision, the history.

Cases and screenings are loaded only through access.py (another organisation's is the same 404
as a missing one) and changed only through actions.py. Every page that shows a screening leaves
an access record for it (``record_kind="screening"``); the questionnaire, which shows the age on
record, leaves one for the case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okoa.accounts.forms import form_status, try_action
from okoa.accounts.models import Membership
from okoa.accounts.views import current_membership, signed_in_user
from okoa.audit.actions import record_access, record_accesses
from okoa.cases.models import Case
from okoa.reference.models import CodeListItem
from okoa.screening import rules
from okoa.screening.access import (
    can_screen,
    can_see_screening_notes,
    get_case_for_screening,
    get_screening_for_user,
    latest_screening_for_user,
    screenings_of_case_for_user,
)
from okoa.screening.actions import (
    age_group_on_record,
    decide_screening,
    record_screening,
    screening_items,
)
from okoa.screening.forms import GROUP_TEXTS, DecisionForm, ScreeningForm
from okoa.screening.models import AgeGroup, Screening


@login_required
def new_screening(request: HttpRequest, case_code: str) -> HttpResponse:
    """The questionnaire; answers start from the case's latest screening, if there is one."""
    membership = current_membership(request)
    case = get_case_for_screening(membership, case_code, write=True)
    assert membership is not None
    latest = latest_screening_for_user(membership, case)
    initial: dict[str, Any] = {"age_group": age_group_on_record(case, timezone.localdate())}
    if latest is not None:
        initial.update(ScreeningForm.initial_from(_answers_by_item(latest)))
    data = request.POST if request.method == "POST" else None  # an empty POST is still sent
    form = ScreeningForm(data, items=screening_items(), initial=initial)
    if request.method == "POST" and form.is_valid():
        by = signed_in_user(request)
        screening = try_action(
            form,
            lambda: record_screening(
                case,
                answers=form.answers(),
                notes=form.notes(),
                age_group=form.cleaned_data["age_group"],
                by=by,
            ),
        )
        if screening is not None:
            messages.success(request, _("The screening is saved. Now decide."))
            return redirect("screening:detail", case_code=case.code, code=screening.code)
    record_access(
        membership, record_kind="case", record_code=case.code, channel="page", request=request
    )
    context = {"case": case, "form": form, "groups": form.groups(), "latest": latest}
    return render(request, "screening/screening_form.html", context, status=form_status(form))


@login_required
def screening_detail(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """A screening: the suggestion and its reasons, the answers, the decision (or its form)."""
    membership = current_membership(request)
    case = get_case_for_screening(membership, case_code)
    screening = get_screening_for_user(membership, case, code)
    assert membership is not None
    return _screening_page(request, membership, case, screening)


@login_required
@require_POST
def decide(request: HttpRequest, case_code: str, code: str) -> HttpResponse:
    """Record the decision on a screening."""
    membership = current_membership(request)
    case = get_case_for_screening(membership, case_code, write=True)
    screening = get_screening_for_user(membership, case, code, write=True)
    assert membership is not None
    form = DecisionForm(request.POST)
    by = signed_in_user(request)
    if form.is_valid() and try_action(
        form,
        lambda: decide_screening(
            screening,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            by=by,
        ),
    ):
        messages.success(request, _("The decision is saved."))
        return redirect("screening:detail", case_code=case.code, code=screening.code)
    return _screening_page(request, membership, case, screening, decision_form=form, status=400)


@login_required
def screening_history(request: HttpRequest, case_code: str) -> HttpResponse:
    """The case's screenings, newest first: suggestion and decision of each."""
    membership = current_membership(request)
    case = get_case_for_screening(membership, case_code)
    assert membership is not None
    screenings = screenings_of_case_for_user(membership, case)
    if screenings:
        record_accesses(
            membership,
            record_kind="screening",
            record_codes=[screening.code for screening in screenings],
            channel="page",
            request=request,
        )
    context = {"case": case, "screenings": screenings, "can_screen": can_screen(membership)}
    return render(request, "screening/screening_history.html", context)


# Helpers


@dataclass
class AnswerRow:
    item: CodeListItem
    answer: str
    answer_label: str
    note: str


@dataclass
class AnswerGroup:
    legend: Any
    rows: list[AnswerRow]


def _screening_page(
    request: HttpRequest,
    membership: Membership,
    case: Case,
    screening: Screening,
    *,
    decision_form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    record_access(
        membership,
        record_kind="screening",
        record_code=screening.code,
        channel="page",
        request=request,
    )
    show_notes = can_see_screening_notes(membership)
    answers = list(screening.answers.all())
    labels = _item_labels(
        {rules.key(answer.item.list, answer.item.code): answer.item for answer in answers},
        [key for reason in screening.reason_list() for key in (*reason.items, reason.inferred)],
    )
    context: dict[str, Any] = {
        "case": case,
        "screening": screening,
        "show_notes": show_notes,
        "reasons": [rules.describe(reason, labels) for reason in screening.reason_list()],
        "answer_groups": _answer_groups(answers, show_notes=show_notes),
        "age_overridden": screening.age_group != screening.age_group_on_record,
        "age_on_record": AgeGroup(screening.age_group_on_record).label,
    }
    if can_screen(membership) and not screening.is_decided:
        context["decision_form"] = decision_form or DecisionForm(
            initial={"decision": screening.suggestion}
        )
    return render(request, "screening/screening_detail.html", context, status=status)


def _item_labels(known: dict[str, CodeListItem], wanted: Iterable[str]) -> Callable[[str], str]:
    """A labeller for item keys: the screening's own items, plus any other the reasons name."""
    missing = {key for key in wanted if key and key not in known}
    if missing:
        for item in CodeListItem.objects.filter(
            list__in={rules.list_of(key) for key in missing},
            code__in={key.partition(":")[2] for key in missing},
        ):
            known.setdefault(rules.key(item.list, item.code), item)

    def label(key: str) -> str:
        item = known.get(key)
        return item.label if item is not None else key.partition(":")[2]

    return label


def _answer_groups(answers: list[Any], *, show_notes: bool) -> list[AnswerGroup]:
    order = {name: index for index, name in enumerate(rules.SCREENING_LISTS)}
    answers = sorted(
        answers,
        key=lambda answer: (
            order.get(answer.item.list, 99),
            answer.item.sort_order,
            answer.item.name,
        ),
    )
    groups: dict[str, AnswerGroup] = {}
    for answer in answers:
        list_name = answer.item.list
        if list_name not in groups:
            groups[list_name] = AnswerGroup(GROUP_TEXTS.get(list_name, (list_name, ""))[0], [])
        groups[list_name].rows.append(
            AnswerRow(
                item=answer.item,
                answer=answer.answer,
                answer_label=answer.get_answer_display(),
                note=answer.note if show_notes else "",
            )
        )
    return list(groups.values())


def _answers_by_item(screening: Screening) -> dict[CodeListItem, str]:
    return {answer.item: answer.answer for answer in screening.answers.select_related("item")}
