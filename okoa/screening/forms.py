"""Forms of the screening pages: the questionnaire and the decision.

Forms only parse; the actions check the rules (a decision that differs from the suggestion
needs a reason, a recorded child is not screened as an adult) and their errors are shown on the
forms with ``apply_validation_error``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okoa.reference.models import CodeListItem
from okoa.screening import rules
from okoa.screening.models import AgeGroup, Conclusion, ScreeningAnswer

NOTE_MAX_LENGTH = 2000

# The questionnaire's groups, each a fieldset with a legend and a short explanation.
GROUP_TEXTS: dict[str, tuple[Any, Any]] = {
    rules.ACT_LIST: (
        _("Act: what was done to the person"),
        _("Was the person recruited, transported, transferred, harboured or received?"),
    ),
    rules.MEANS_LIST: (
        _("Means: how it was done"),
        _("Were force, coercion, deception or other means used? Not needed for a child."),
    ),
    rules.PURPOSE_LIST: (
        _("Purpose: why it was done"),
        _("Was it done to exploit the person?"),
    ),
    rules.ILO_LIST: (
        _("ILO indicators of forced labour"),
        _("Two or more together point to forced labour (the purpose)."),
    ),
    rules.CONTROL_LIST: (
        _("Methods of control (HTCDS)"),
        _("How the exploiters kept control; each one counts as a means."),
    ),
}


def answer_field_name(item: CodeListItem) -> str:
    return f"answer__{item.list}__{item.code}"


def note_field_name(item: CodeListItem) -> str:
    return f"note__{item.list}__{item.code}"


@dataclass
class Question:
    item: CodeListItem
    answer: forms.BoundField
    note: forms.BoundField


@dataclass
class Group:
    list_name: str
    legend: Any
    hint: Any
    questions: list[Question]

    @property
    def has_errors(self) -> bool:
        return any(question.answer.errors or question.note.errors for question in self.questions)


class ScreeningForm(forms.Form):
    """The screening questionnaire: the age rule, then each item yes/no/unknown with a note."""

    age_group = forms.ChoiceField(
        label=_("Age at the time of recruitment or exploitation"),
        choices=AgeGroup.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Filled in from the date of birth on file, when there is one. If the age is not known "
            "but the person appears to be a child, say so: they are then treated as a child."
        ),
    )

    def __init__(self, *args: Any, items: list[CodeListItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[answer_field_name(item)] = forms.ChoiceField(
                label=item.label,
                choices=ScreeningAnswer.Value.choices,
                initial=ScreeningAnswer.Value.UNKNOWN,
                widget=forms.RadioSelect,
            )
            self.fields[note_field_name(item)] = forms.CharField(
                label=_("Note on “%(item)s” (optional)") % {"item": item.label},
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def groups(self) -> list[Group]:
        """The questions grouped by element, in the order of ``rules.SCREENING_LISTS``."""
        groups = []
        for list_name in rules.SCREENING_LISTS:
            legend, hint = GROUP_TEXTS[list_name]
            questions = [
                Question(item, self[answer_field_name(item)], self[note_field_name(item)])
                for item in self.items
                if item.list == list_name
            ]
            if questions:
                groups.append(Group(list_name, legend, hint, questions))
        return groups

    def answers(self) -> dict[CodeListItem, str]:
        return {item: self.cleaned_data[answer_field_name(item)] for item in self.items}

    def notes(self) -> dict[CodeListItem, str]:
        return {
            item: note
            for item in self.items
            if (note := self.cleaned_data.get(note_field_name(item), "").strip())
        }

    @staticmethod
    def initial_from(answers: dict[CodeListItem, str]) -> dict[str, str]:
        """Initial values that repeat earlier answers (never their notes)."""
        return {answer_field_name(item): value for item, value in answers.items()}


class DecisionForm(forms.Form):
    """A person's decision on a screening."""

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=Conclusion.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when your decision differs from Okoa's suggestion."),
    )
