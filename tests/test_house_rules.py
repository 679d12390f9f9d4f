"""Rules of the codebase that a reviewer would otherwise have to remember."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OKOA = ROOT / "okoa"
PERSONAL_MODELS = ("Person", "Case", "CaseNote", "CaseEvent", "PersonSearchToken")


def python_files(*patterns: str) -> list[Path]:
    return sorted(
        path
        for pattern in patterns
        for path in OKOA.glob(pattern)
        if "tests" not in path.relative_to(OKOA).parts
    )


@pytest.mark.parametrize(
    "path",
    python_files("*/views.py", "*/views/*.py", "api/**/*.py"),
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_views_and_the_api_reach_records_only_through_access_functions(path):
    source = path.read_text()
    for model in PERSONAL_MODELS:
        assert not re.search(rf"\b{model}\.objects\b", source), (
            f"{path.name} queries {model}.objects directly: load records through access.py"
        )


def test_nothing_imports_the_demo_app():
    offenders = [
        str(path.relative_to(ROOT))
        for path in OKOA.rglob("*.py")
        if "demo" not in path.relative_to(OKOA).parts
        and re.search(r"^\s*(from|import)\s+okoa\.demo\b", path.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_no_model_with_personal_data_is_registered_in_the_admin():
    from django.contrib import admin

    from okoa.cases.models import Case, CaseEvent, CaseNote
    from okoa.people.models import Person, PersonSearchToken

    for model in (Person, PersonSearchToken, Case, CaseNote, CaseEvent):
        assert not admin.site.is_registered(model), model.__name__


def test_no_url_pattern_captures_an_integer_id():
    from django.urls import get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from patterns(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    offenders = [
        pattern
        for pattern in patterns(get_resolver())
        if "<int:" in pattern and not pattern.startswith("site-admin/")
    ]
    assert offenders == []
