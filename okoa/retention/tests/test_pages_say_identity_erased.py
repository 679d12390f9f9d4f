"""Where a name was shown, an erased person's pages say "Identity erased on DATE" instead of an
empty name."""

from django.utils import formats, timezone, translation

from okoa.retention.actions import erase_person_data


def erased_label(person) -> str:
    day = formats.date_format(timezone.localtime(person.erased_at), "DATE_FORMAT")
    return f"Identity erased on {day}"


def test_the_persons_file_case_page_and_case_list_say_so(client, cast, survivor_file):
    erase_person_data(survivor_file.person, by=cast.supervisor, reason_code="request")
    label = erased_label(survivor_file.person)
    client.force_login(cast.caseworker)

    for url in (
        f"/people/{survivor_file.person.code}/",
        f"/cases/{survivor_file.case.code}/",
        "/cases/",
    ):
        page = client.get(url).content.decode()
        assert label in page, url


def test_the_file_offers_no_second_erasure(client, cast, survivor_file):
    erase_person_data(survivor_file.person, by=cast.supervisor, reason_code="request")
    client.force_login(cast.caseworker)

    page = client.get(f"/people/{survivor_file.person.code}/").content.decode()

    assert "/retention/people/" not in page


def test_the_label_is_translated(cast, survivor_file):
    erase_person_data(survivor_file.person, by=cast.supervisor, reason_code="request")

    with translation.override("sw"):
        label = survivor_file.person.display_name

    assert label.startswith("Utambulisho")
