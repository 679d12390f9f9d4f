"""The Kiswahili catalogue is complete, fully translated, keeps its placeholders, and is used.

Okoa keeps one catalogue, ``locale/sw/LC_MESSAGES/django.po``, for every app (see
docs/translation.md). The .mo file is not in the repository: ``make test`` and ``make demo``
compile it, and the tests that need it compile their own copy into a temporary directory.
GNU gettext (``msgfmt``) is installed by ``make test``; without it those tests skip.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "sw" / "LC_MESSAGES" / "django.po"

# Python's %-placeholders (named or not, %% included) and str.format's {name}.
PLACEHOLDER = re.compile(
    r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]|\{\w*(?:![rsa])?(?::[^{}]*)?\}"
)
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def sources(self) -> Iterator[tuple[str, str]]:
        """Pair each translation with the English text it translates."""
        for index, text in sorted(self.msgstr.items()):
            english = self.msgid if index == 0 or self.msgid_plural is None else self.msgid_plural
            yield english, text


def parse_po(path: Path) -> list[Entry]:
    """Read the entries of a .po file (obsolete ``#~`` entries are left out; header included)."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if not line or (starts_entry and target is not None and target[0] == "msgstr"):
            finish()
        if not line:
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: a string continues nothing"
            append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, value = line.partition(" ")
            if keyword.startswith("msgstr["):
                target = ("msgstr", int(keyword[7:-1]))
            else:
                target = (keyword, 0)
            if keyword == "msgid":
                entry.line = number
            entry_set(entry, target, ast.literal_eval(value))
    finish()
    return entries


def entry_set(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = text
    else:
        setattr(entry, name, text)


def append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def messages(path: Path) -> list[Entry]:
    """The entries of a catalogue without its header."""
    return [entry for entry in parse_po(path) if entry.msgid or entry.msgctxt]


def describe(entry: Entry) -> str:
    return f"{CATALOGUE.relative_to(ROOT)}:{entry.line} {entry.msgid!r}"


@pytest.fixture(scope="module")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compile the catalogue with ``msgfmt --check`` into a temporary LOCALE_PATHS directory."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed (make test installs it)")
    locale = tmp_path_factory.mktemp("locale")
    target = locale / "sw" / "LC_MESSAGES"
    target.mkdir(parents=True)
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(target / "django.mo"), str(CATALOGUE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return locale


def test_the_catalogue_header_declares_kiswahili_utf8_and_two_plural_forms() -> None:
    header = parse_po(CATALOGUE)[0]
    assert header.msgid == "", "the catalogue must start with its header"
    assert "fuzzy" not in header.flags
    assert "Language: sw\n" in header.msgstr[0]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header.msgstr[0]


def test_every_entry_of_the_kiswahili_catalogue_is_translated_and_none_is_fuzzy() -> None:
    entries = messages(CATALOGUE)
    assert entries, "the catalogue is empty"
    untranslated = [
        describe(entry)
        for entry in entries
        if not entry.msgstr or not all(text.strip() for text in entry.msgstr.values())
    ]
    fuzzy = [describe(entry) for entry in entries if "fuzzy" in entry.flags]
    short_plurals = [
        describe(entry)
        for entry in entries
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]
    ]
    assert not untranslated, "Untranslated:\n" + "\n".join(untranslated)
    assert not fuzzy, "Fuzzy (check the translation, then remove the flag):\n" + "\n".join(fuzzy)
    assert not short_plurals, "Fill msgstr[0] and msgstr[1]:\n" + "\n".join(short_plurals)


def test_translations_keep_the_placeholders_and_html_tags_of_the_english_text() -> None:
    problems = []
    for entry in messages(CATALOGUE):
        for english, text in entry.sources():
            if not text:
                continue  # reported by the test above
            if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(text)):
                problems.append(f"{describe(entry)}: placeholders differ in {text!r}")
            if sorted(HTML_TAG.findall(english)) != sorted(HTML_TAG.findall(text)):
                problems.append(f"{describe(entry)}: HTML tags differ in {text!r}")
            for edge, english_edge, text_edge in (
                ("leading", english[:1] == "\n", text[:1] == "\n"),
                ("trailing", english[-1:] == "\n", text[-1:] == "\n"),
            ):
                if english_edge != text_edge:
                    problems.append(f"{describe(entry)}: {edge} newline differs in {text!r}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_has_every_string_of_the_current_sources(tmp_path: Path) -> None:
    """Run makemessages on a copy of the sources and compare the msgids with the catalogue.

    A failure lists the strings to translate: run makemessages (docs/translation.md), translate
    them, and commit the .po file.
    """
    if shutil.which("msgmerge") is None or shutil.which("xgettext") is None:
        pytest.skip("GNU gettext is not installed (make test installs it)")
    copy = tmp_path / "src"
    # Per-app locale directories are left out: every string belongs in the one root catalogue.
    shutil.copytree(
        ROOT / "okoa", copy / "okoa", ignore=shutil.ignore_patterns("__pycache__", "locale")
    )
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "locale", copy / "locale", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy2(ROOT / "manage.py", copy / "manage.py")
    environment = {
        key: value
        for key, value in os.environ.items()
        # Development mode: the copy needs no production secrets to list its strings.
        if key != "SECRET_KEY" and not key.startswith("SECRET_KEY_")
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "okoa.settings",
        "OKOA_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sw", "--no-obsolete", "-v", "0"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr

    regenerated = {entry.key for entry in messages(copy / CATALOGUE.relative_to(ROOT))}
    committed = {entry.key for entry in messages(CATALOGUE)}
    missing = sorted(msgid for _context, msgid in regenerated - committed)
    assert not missing, (
        f"{len(missing)} strings of the sources are missing from {CATALOGUE.relative_to(ROOT)}:\n"
        + "\n".join(repr(msgid) for msgid in missing)
    )


def test_there_is_one_catalogue_and_no_app_keeps_its_own() -> None:
    app_catalogues = sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "okoa").glob("**/locale/**/*.po")
    )
    assert not app_catalogues, (
        "Okoa keeps every translation in locale/ (docs/translation.md); translate the app's "
        "strings there and delete: " + ", ".join(app_catalogues)
    )


def test_the_compiled_catalogue_translates_known_strings(settings, compiled_locale: Path) -> None:
    settings.LOCALE_PATHS = [compiled_locale]  # resets Django's translation caches

    with translation.override("sw"):
        assert translation.gettext("Cases") == "Kesi"
        assert translation.gettext("Sign out") == "Toka"
        assert translation.gettext("Case %(reference)s") % {"reference": "TUM-2026-00031"} == (
            "Kesi TUM-2026-00031"
        )
        minutes = translation.ngettext("%(minutes)s minute", "%(minutes)s minutes", 5)
        assert minutes % {"minutes": 5} == "dakika 5"
    with translation.override("en"):
        assert translation.gettext("Cases") == "Cases"


def test_a_user_who_chooses_kiswahili_gets_the_pages_in_kiswahili(
    client, cast, settings, compiled_locale: Path
) -> None:
    settings.LOCALE_PATHS = [compiled_locale]
    client.force_login(cast.caseworker)

    client.post("/i18n/setlang/", {"language": "sw"})
    home = client.get(reverse("cases:home")).content.decode()
    case_list = client.get(reverse("cases:list")).content.decode()

    for page in (home, case_list):
        assert '<html lang="sw"' in page
        assert "Toka" in page  # Sign out
        assert "Sign out" not in page
    assert "Habari, Achieng Caseworker" in home  # Hello, %(name)s
    assert "Onyesha kesi" in case_list  # Show cases
