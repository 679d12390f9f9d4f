"""Name and identifier normalisation for blind-index search.

A name part becomes several search keys, each hashed before it is stored (okoa/lib/crypto.py):

* ``n:`` the normalised part itself (``wanjiku``);
* ``d:`` every variant with one letter deleted (``anjiku``, ``wnjiku``...), so that one typed
  letter too many, too few or wrong still meets the stored name (a symmetric-deletion index:
  ``wanjiku`` and ``wanjiru`` share ``wanjiu``);
* ``p:`` a phonetic skeleton tuned for names common in Kenya and East Africa, where spellings of
  one name differ in vowels and doubled letters (Mohamed, Mohammed, Muhammad -> ``mhmd``).

Queries are expanded the same way. A longer query part that meets nothing within one slip is
expanded further, to the keys of names two slips away, which count least. Matching is on whole
hashed keys only, so the database never needs, and never holds, a plaintext name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

NAME_SPLIT = re.compile(r"[^a-z]+")
# Deletion keys for very short parts match too many other names to be useful. Four letters
# still gets them: Mary, John, Juma, Omar, Ruth and Abdi are among the most common names, and
# without deletion keys a single slip in them (Mayr, Jonh) would find nobody.
MIN_DELETION_LENGTH = 4
# Two-slip keys only for longer parts: in short ones two slips leave little of the name.
MIN_TWO_EDIT_LENGTH = 6
# A skeleton of one or two letters (Mary, Moraa, Mira -> "mr") sounds like too many names; the
# spellings of short names that sound alike are one slip apart anyway.
MIN_PHONETIC_LENGTH = 3
VOWELS = frozenset("aeiou")

# Spellings that sound alike; applied before the skeleton is taken.
_PHONETIC_REPLACEMENTS = (
    ("ph", "f"),
    ("ck", "k"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "c"),
    ("q", "k"),
    ("x", "ks"),
    ("z", "s"),
    ("v", "f"),
    ("y", "i"),
)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents (``Émile`` -> ``emile``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def name_parts(text: str) -> list[str]:
    """Split a full name into normalised parts: ``"Mary-Anne  O'Wanjiku"`` -> 3 parts."""
    return [part for part in NAME_SPLIT.split(fold(text)) if part]


def phonetic(part: str) -> str:
    """Return the phonetic skeleton of a normalised name part.

    The first letter is kept (as a vowel class for vowels), later vowels are dropped, a trailing
    ``h`` is dropped (Fatumah/Fatuma), and repeated letters collapse (Muhammad -> mhmd).
    """
    for source, target in _PHONETIC_REPLACEMENTS:
        part = part.replace(source, target)
    if part.endswith("h") and len(part) > 2:
        part = part[:-1]
    if not part:
        return ""
    head = "a" if part[0] in VOWELS else part[0]
    skeleton = [head]
    for letter in part[1:]:
        if letter in VOWELS:
            continue
        if letter != skeleton[-1]:
            skeleton.append(letter)
    return "".join(skeleton)


def deletions(part: str) -> set[str]:
    """Return every variant of ``part`` with exactly one letter removed."""
    return {part[:i] + part[i + 1 :] for i in range(len(part))}


def stored_name_keys(part: str) -> set[str]:
    """Return the search keys stored for one name part."""
    keys = {f"n:{part}"}
    skeleton = phonetic(part)
    if len(skeleton) >= MIN_PHONETIC_LENGTH:
        keys.add(f"p:{skeleton}")
    if len(part) >= MIN_DELETION_LENGTH:
        keys.update(f"d:{variant}" for variant in deletions(part))
    return keys


def two_edit_keys(part: str) -> set[str]:
    """Return the keys that meet a stored part two slips away from ``part``.

    Stored parts carry only their exact and one-deletion keys, so the query side does the
    work: it lists the stored part's possible one-deletion variants (and, for two letters too
    many, the stored part itself). A few thousand keys for a long part: asked for only when a
    part meets nothing within one slip.
    """
    letters = "abcdefghijklmnopqrstuvwxyz"
    shorter = deletions(part)
    keys = {f"n:{variant}" for longer in shorter for variant in deletions(longer)}
    # One letter too many and one wrong or swapped (or two too many).
    keys.update(f"d:{variant}" for longer in shorter for variant in deletions(longer))
    # One letter missing and one wrong (or swapped): the query with that letter put right.
    keys.update(f"d:{variant}" for variant in substitutions(part, letters))
    keys.update(f"d:{part[:i]}{part[i + 1]}{part[i]}{part[i + 2 :]}" for i in range(len(part) - 1))
    # Two letters missing: the query with one put back.
    keys.update(
        f"d:{part[:i]}{letter}{part[i:]}" for i in range(len(part) + 1) for letter in letters
    )
    # Two letters wrong (or one wrong and two swapped): both meet one letter shorter.
    keys.update(f"d:{variant}" for longer in shorter for variant in substitutions(longer, letters))
    return keys


def substitutions(part: str, letters: str) -> set[str]:
    """Return every variant of ``part`` with exactly one letter replaced."""
    return {
        part[:i] + letter + part[i + 1 :]
        for i in range(len(part))
        for letter in letters
        if letter != part[i]
    }


# Weights of the ways a query part can meet a stored part; the best way counts once per part.
EXACT, ONE_EDIT, SOUNDS_ALIKE, TWO_EDITS = 4, 3, 2, 1


@dataclass(frozen=True)
class QueryKey:
    key: str
    part_index: int
    weight: int
    # Whether every stored part equal to the query part carries this key too (its phonetic and
    # deletion keys): then the key finds everybody the exact key finds, and maybe more.
    contains_exact: bool = False


def query_name_keys(
    text: str, *, max_parts: int = 6, two_edit_parts: Collection[int] = ()
) -> list[QueryKey]:
    """Expand a name query into the keys to look up, each tagged with its part and weight.

    Keys for two slips in one part are many and seldom needed: they come only for the parts
    listed in ``two_edit_parts`` (search asks for them for parts that meet nobody within one
    slip).
    """
    keys: dict[tuple[str, int], int] = {}
    contained: set[tuple[str, int]] = set()

    def add(key: str, index: int, weight: int) -> None:
        if weight > keys.get((key, index), 0):
            keys[(key, index)] = weight

    for index, part in enumerate(name_parts(text)[:max_parts]):
        add(f"n:{part}", index, EXACT)
        skeleton = phonetic(part)
        if len(skeleton) >= MIN_PHONETIC_LENGTH:
            add(f"p:{skeleton}", index, SOUNDS_ALIKE)
        contained.update((key, index) for key in stored_name_keys(part) if key != f"n:{part}")
        if len(part) >= MIN_DELETION_LENGTH:
            # The stored part is the query with one letter deleted (one letter typed too many).
            for variant in deletions(part):
                add(f"n:{variant}", index, ONE_EDIT)
        if len(part) >= MIN_DELETION_LENGTH - 1:
            # The query is the stored part with one letter missing.
            add(f"d:{part}", index, ONE_EDIT)
        if len(part) >= MIN_DELETION_LENGTH:
            # One letter wrong, or two neighbours swapped: both lose a letter to meet.
            for variant in deletions(part):
                add(f"d:{variant}", index, ONE_EDIT)
        if index in two_edit_parts and len(part) >= MIN_TWO_EDIT_LENGTH:
            for key in two_edit_keys(part):
                add(key, index, TWO_EDITS)
    return [
        QueryKey(key, index, weight, contains_exact=(key, index) in contained)
        for (key, index), weight in keys.items()
    ]


PHONE_DIGITS = re.compile(r"\D+")


def normalise_phone(text: str, *, default_country_code: str = "254") -> str:
    """Return a phone number as international digits: ``0712 345 678`` -> ``254712345678``."""
    stripped = text.strip()
    digits = PHONE_DIGITS.sub("", stripped)
    if stripped.startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0") and len(digits) >= 9:
        return default_country_code + digits[1:]
    if len(digits) == 9 and digits[0] in "17":
        # Kenyan mobile numbers written without the leading zero.
        return default_country_code + digits
    return digits


DOCUMENT_CHARACTERS = re.compile(r"[^A-Z0-9]+")


def normalise_document_number(text: str) -> str:
    """Return an identity or passport number upper-cased with spaces and dashes removed."""
    return DOCUMENT_CHARACTERS.sub("", fold(text).upper())
