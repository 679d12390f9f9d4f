"""Name and identifier normalisation for blind-index search.

A name part becomes several search keys, each hashed before it is stored (okoa/lib/crypto.py):

* ``n:`` the normalised part itself (``wanjiku``);
* ``d:`` every variant with one letter deleted (``anjiku``, ``wnjiku``...), so that one typed
  letter too many, too few or wrong still meets the stored name (a symmetric-deletion index:
  ``wanjiku`` and ``wanjiru`` share ``wanjiu``);
* ``p:`` a phonetic skeleton tuned for names common in Kenya and East Africa, where spellings of
  one name differ in vowels and doubled letters (Mohamed, Mohammed, Muhammad -> ``mhmd``).

Queries are expanded the same way; matching is on whole hashed keys only, so the database never
needs, and never holds, a plaintext name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

NAME_SPLIT = re.compile(r"[^a-z]+")
# Deletion keys for very short parts match too many other names to be useful.
MIN_DELETION_LENGTH = 5
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
    ``h`` is dropped (Abdallah/Abdalla), and repeated letters collapse (Muhammad -> mhmd).
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
    keys = {f"n:{part}", f"p:{phonetic(part)}"}
    if len(part) >= MIN_DELETION_LENGTH:
        keys.update(f"d:{variant}" for variant in deletions(part))
    return keys


# Weights of the ways a query part can meet a stored part; the best way counts once per part.
EXACT, ONE_EDIT, SOUNDS_ALIKE = 4, 3, 2


@dataclass(frozen=True)
class QueryKey:
    key: str
    part_index: int
    weight: int


def query_name_keys(text: str, *, max_parts: int = 6) -> list[QueryKey]:
    """Expand a name query into the keys to look up, each tagged with its part and weight."""
    keys: dict[tuple[str, int], int] = {}

    def add(key: str, index: int, weight: int) -> None:
        if weight > keys.get((key, index), 0):
            keys[(key, index)] = weight

    for index, part in enumerate(name_parts(text)[:max_parts]):
        add(f"n:{part}", index, EXACT)
        add(f"p:{phonetic(part)}", index, SOUNDS_ALIKE)
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
    return [QueryKey(key, index, weight) for (key, index), weight in keys.items()]


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
