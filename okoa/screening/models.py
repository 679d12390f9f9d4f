"""Screenings: a structured check of trafficking indicators, Okoa's suggestion and a decision.

Words used here (see also docs/glossary.md):

* *screening*: one sitting in which a caseworker asks about the elements of trafficking (act,
  means, purpose: Palermo Protocol art. 3), the ILO indicators of forced labour and the HTCDS
  methods of control, and records each answer as yes, no or unknown.
* *suggestion*: what the rules (``okoa/screening/rules.py``) conclude from the answers:
  presumed victim of trafficking, further screening needed, or not trafficking (refer
  elsewhere), with the *reasons* behind it.
* *decision*: what a person concludes. It may differ from the suggestion, with a reason.

Screenings are append-only: answers are never edited and a later screening of the same case is
a new row, so the case keeps its screening history. Only the decision is written later, once.
Free text (notes on answers, the reason for a decision) is personal data and is encrypted; the
answers, suggestion and decision are case attributes, visible to data analysts as well.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case
from okoa.lib.codes import new_code
from okoa.lib.fields import EncryptedTextField
from okoa.reference.models import CodeList, CodeListItem
from okoa.screening import rules


class Conclusion(models.TextChoices):
    """A screening's suggestion or decision (the values of ``rules.Suggestion``)."""

    PRESUMED_VICTIM = rules.Suggestion.PRESUMED_VICTIM.value, _("Presumed victim of trafficking")
    FURTHER_SCREENING = rules.Suggestion.FURTHER_SCREENING.value, _("Further screening needed")
    NOT_TRAFFICKING_REFER = (
        rules.Suggestion.NOT_TRAFFICKING_REFER.value,
        _("Not trafficking: refer elsewhere"),
    )


class AgeGroup(models.TextChoices):
    """The person's age at the time of the act, as the screening treats it (``rules.AgeGroup``)."""

    CHILD = rules.AgeGroup.CHILD.value, _("Under 18 (a child)")
    ADULT = rules.AgeGroup.ADULT.value, _("18 or over (an adult)")
    APPEARS_CHILD = (
        rules.AgeGroup.APPEARS_CHILD.value,
        _("Age unknown, appears to be a child"),
    )
    UNKNOWN = rules.AgeGroup.UNKNOWN.value, _("Age unknown")


class Screening(models.Model):
    """One screening of a case: the answers, Okoa's suggestion with its reasons, the decision.

    * ``age_group`` is the age rule the screening applied; ``age_group_on_record`` is what the
      person's recorded date or year of birth said for the same day (``child``, ``adult`` or
      ``unknown``), so an override by the screener stays visible.
    * ``reasons`` is a list of reason codes with parameters (``rules.Reason.as_json``), worded in
      the reader's language when shown; ``rules_version`` is the version of the rules that
      computed ``suggestion`` and ``reasons``.
    * ``decision``, ``decision_reason``, ``decided_by`` and ``decided_at`` are set together,
      once (``actions.decide_screening``). A reason is required when the decision differs from
      the suggestion.
    """

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="screenings"
    )
    # The subject: a case, or an intake report screened before any case exists; at least one
    # is set. Only case screenings have screens, access rules and actions so far.
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="screenings"
    )
    report = models.ForeignKey(
        "intake.Report",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
    )
    screened_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("screened by")
    )
    screened_at = models.DateTimeField(_("screened"), default=timezone.now, editable=False)
    age_group = models.CharField(_("age at the time"), max_length=16, choices=AgeGroup.choices)
    age_group_on_record = models.CharField(max_length=16, choices=AgeGroup.choices)
    suggestion = models.CharField(_("suggestion"), max_length=24, choices=Conclusion.choices)
    reasons = models.JSONField(default=list, blank=True)
    rules_version = models.PositiveSmallIntegerField(default=rules.RULES_VERSION)

    decision = models.CharField(
        _("decision"), max_length=24, choices=Conclusion.choices, blank=True
    )
    decision_reason = EncryptedTextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-screened_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | models.Q(report__isnull=False),
                name="screening_has_a_subject",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(decision="", decided_at__isnull=True, decided_by__isnull=True)
                    | (
                        ~models.Q(decision="")
                        & models.Q(decided_at__isnull=False, decided_by__isnull=False)
                    )
                ),
                name="screening_decision_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "screened_at"], name="screening_case_history"),
            models.Index(fields=["organisation", "suggestion"], name="screening_org_suggestion"),
        ]

    def __str__(self) -> str:
        return f"Screening {self.code}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def is_child(self) -> bool:
        """Whether the child rule applied (under 18, or appearing to be a child)."""
        return rules.AgeGroup(self.age_group).treated_as_child

    @property
    def decision_differs(self) -> bool:
        return self.is_decided and self.decision != self.suggestion

    def reason_list(self) -> list[rules.Reason]:
        """The stored reasons as ``rules.Reason`` objects, in the order the rules gave them."""
        return [rules.Reason.from_json(data) for data in self.reasons or []]


class ScreeningAnswer(models.Model):
    """One answer of a screening: an indicator (code-list item), yes/no/unknown, a note."""

    class Value(models.TextChoices):
        YES = rules.Answer.YES.value, _("Yes")
        NO = rules.Answer.NO.value, _("No")
        UNKNOWN = rules.Answer.UNKNOWN.value, _("Unknown")

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        CodeListItem,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list__in": [CodeList(name) for name in rules.SCREENING_LISTS]},
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Value.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("screening answer")
        verbose_name_plural = _("screening answers")
        constraints = [
            models.UniqueConstraint(fields=["screening", "item"], name="one_answer_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.screening_id} {self.item_id}: {self.answer}"
