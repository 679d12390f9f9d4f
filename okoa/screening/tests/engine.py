"""Helpers for the rule-engine tests: every shipped screening item, read from the CSV (no DB)."""

from __future__ import annotations

import csv
from pathlib import Path

from okoa.screening import rules

CODE_LISTS = Path(__file__).resolve().parents[2] / "reference" / "data" / "code_lists.csv"


def shipped_keys(list_name: str | None = None) -> list[str]:
    """The item keys of the shipped screening lists (or of one list), in file order."""
    with CODE_LISTS.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [
        rules.key(row["list"], row["code"])
        for row in rows
        if row["list"] in rules.SCREENING_LISTS and (list_name is None or row["list"] == list_name)
    ]


def answers(
    *, yes: tuple[str, ...] = (), unknown: tuple[str, ...] = (), rest: str = "no"
) -> dict[str, str]:
    """A full questionnaire: ``yes`` and ``unknown`` items as given, every other item ``rest``."""
    result = dict.fromkeys(shipped_keys(), rest)
    result.update(dict.fromkeys(yes, "yes"))
    result.update(dict.fromkeys(unknown, "unknown"))
    return result
