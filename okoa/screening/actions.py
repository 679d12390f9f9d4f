"""Record a screening of a case, and decide it.

Contract: each action is one transaction, checks every input before writing anything (a
ValidationError keyed by form field names, nothing saved), adds an entry to the case's timeline
and a change record naming the fields. Timeline and change records hold codes (the screening's
code, the suggestion and the decision), never notes or reasons, which are free text and may name
people.

Screenings are append-only. A screening is decided once: deciding it again is refused; to come
to a different conclusion later, record a new screening (the history keeps both). That keeps one
suggestion and one decision per set of answers, so the history shows what was known when each
decision was taken.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.accounts.models import User
from okoa.audit.actions import record_change
from okoa.cases.actions import record_event
from okoa.cases.models import Case, CaseEvent
from okoa.reference.models import CodeListItem
from okoa.screening import rules
from okoa.screening.models import AgeGroup, Conclusion, Screening, ScreeningAnswer


def age_reference_day(case: Case, today: datetime.date) -> datetime.date:
    """The day on which the person's age decides the child rule.

    The Palermo Protocol protects a person who was a child when recruited, even if screened as an
    adult years later: the day of recruitment, else the day exploitation began, else today.
    """
    return case.recruited_on or case.exploitation_began_on or today


def age_group_on_record(case: Case, today: datetime.date) -> AgeGroup:
    """What the person's recorded date (or year) of birth says: child, adult or unknown."""
    child = case.person.is_child_on(age_reference_day(case, today))
    if child is None:
        return AgeGroup.UNKNOWN
    return AgeGroup.CHILD if child else AgeGroup.ADULT


def screening_items() -> list[CodeListItem]:
    """The active items a screening asks about, in the order of ``rules.SCREENING_LISTS``."""
    items = CodeListItem.objects.filter(list__in=rules.SCREENING_LISTS, is_active=True)
    order = {name: index for index, name in enumerate(rules.SCREENING_LISTS)}
    return sorted(items, key=lambda item: (order[item.list], item.sort_order, item.name))


@transaction.atomic
def record_screening(
    case: Case,
    *,
    answers: Mapping[CodeListItem, str],
    by: User,
    age_group: str | None = None,
    notes: Mapping[CodeListItem, str] | None = None,
) -> Screening:
    """Record a screening of ``case``, with Okoa's suggestion and its reasons.

    ``answers`` maps items of the screening lists to "yes", "no" or "unknown"; an active item
    left out is recorded as "unknown". ``age_group`` is the screener's judgement of the age at the
    time; without it the person's record decides (see ``age_group_on_record``). A recorded child
    cannot be screened as an adult: correct the date of birth first.
    """
    now = timezone.now()
    on_record = age_group_on_record(case, timezone.localdate(now))
    notes = {item: text.strip() for item, text in (notes or {}).items() if text and text.strip()}
    errors: dict[str, list[str]] = {}
    if any(item.list not in rules.SCREENING_LISTS for item in [*answers, *notes]):
        errors.setdefault("answers", []).append(_("Answer only the questions of the screening."))
    if any(value not in ScreeningAnswer.Value.values for value in answers.values()):
        errors.setdefault("answers", []).append(_("Answer each question yes, no or unknown."))
    chosen = age_group or on_record
    if chosen not in AgeGroup.values:
        errors.setdefault("age_group", []).append(_("Choose the person's age at the time."))
    elif on_record == AgeGroup.CHILD and not rules.AgeGroup(chosen).treated_as_child:
        errors.setdefault("age_group", []).append(
            _(
                "The date of birth on file makes this person a child at the time. "
                "If it is wrong, correct it on the person's page first."
            )
        )
    if errors:
        raise ValidationError(errors)

    given = {item.pk: value for item, value in answers.items()}
    items = {item.pk: item for item in screening_items()}
    items.update({item.pk: item for item in answers})
    values = {pk: given.get(pk, rules.Answer.UNKNOWN.value) for pk in items}
    result = rules.suggest(
        {rules.key(item.list, item.code): values[pk] for pk, item in items.items()},
        rules.AgeGroup(chosen),
    )
    screening = Screening.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        screened_by=by,
        screened_at=now,
        age_group=chosen,
        age_group_on_record=on_record,
        suggestion=result.suggestion.value,
        reasons=[reason.as_json() for reason in result.reasons],
    )
    note_by_pk = {item.pk: text for item, text in notes.items()}
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(
            screening=screening, item=item, answer=values[pk], note=note_by_pk.get(pk, "")
        )
        for pk, item in items.items()
    )
    record_event(
        case,
        CaseEvent.Kind.SCREENED,
        by=by,
        screening=screening.code,
        suggestion=screening.suggestion,
        age_group=screening.age_group,
    )
    record_change(
        organisation_id=case.organisation_id,
        record_kind="screening",
        record_code=screening.code,
        action="created",
        fields=["answers", "age_group", "suggestion", *(["notes"] if notes else [])],
        by=by,
    )
    return screening


@transaction.atomic
def decide_screening(screening: Screening, *, decision: str, reason: str = "", by: User) -> None:
    """Record a person's decision on a screening; a reason is required when it differs from the
    suggestion. A screening is decided once: a second decision is refused."""
    current = Screening.objects.select_for_update().get(pk=screening.pk)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if current.is_decided:
        errors["decision"] = [
            _(
                "This screening is already decided. To come to another conclusion, "
                "record a new screening."
            )
        ]
    elif decision not in Conclusion.values:
        errors["decision"] = [_("Choose a decision.")]
    elif decision != current.suggestion and not reason:
        errors["reason"] = [
            _("Your decision differs from Okoa's suggestion: say why, for those who read it later.")
        ]
    if errors:
        raise ValidationError(errors)
    current.decision = decision
    current.decision_reason = reason
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
    if current.case_id is not None:
        record_event(
            current.case,  # type: ignore[arg-type]
            CaseEvent.Kind.SCREENING_DECIDED,
            by=by,
            screening=current.code,
            suggestion=current.suggestion,
            decision=decision,
            differs=decision != current.suggestion,
        )
    record_change(
        organisation_id=current.organisation_id,
        record_kind="screening",
        record_code=current.code,
        action="decided",
        fields=["decision", *(["decision_reason"] if reason else [])],
        by=by,
    )
    screening.refresh_from_db()
