"""The case list pages through cases with an opaque cursor: no ids, no duplicates."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from okoa.cases.models import Case

CASE_ROW = re.compile(r'<th scope="row"[^>]*><a href="/cases/([^/"]+)/">')
NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next">')


def read_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    codes = CASE_ROW.findall(html)
    next_link = NEXT_LINK.search(html)
    return codes, unescape(next_link.group(1)) if next_link else None


def test_sixty_cases_come_in_pages_of_25_25_and_10_without_duplicates_or_ids(
    client, cast, make_case
):
    for _ in range(60):
        make_case()
    all_codes = set(Case.objects.values_list("code", flat=True))
    ids = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
    client.force_login(cast.caseworker)

    pages, url = [], "/cases/"
    while url:
        codes, url = read_page(client, url)
        pages.append(codes)
        if url:
            cursor = parse_qs(urlsplit(url).query)["after"]
            assert cursor[0] in all_codes
            assert not ids & set(cursor)

    assert [len(codes) for codes in pages] == [25, 25, 10]
    shown = [code for codes in pages for code in codes]
    assert len(set(shown)) == 60
    assert set(shown) == all_codes


def test_pages_go_from_newest_to_oldest(client, cast, make_case):
    cases = [make_case() for _ in range(30)]
    client.force_login(cast.caseworker)

    first_page, next_url = read_page(client, "/cases/")
    second_page, _ = read_page(client, next_url)

    newest_first = [case.code for case in reversed(cases)]
    assert first_page + second_page == newest_first


def test_next_page_link_keeps_the_filters(client, cast, make_case):
    for _ in range(26):
        make_case(sex="male")
    client.force_login(cast.caseworker)

    _codes, next_url = read_page(client, "/cases/?sex=male&junk=1")

    assert parse_qs(urlsplit(next_url).query).keys() == {"sex", "after"}


def test_an_unknown_cursor_or_another_organisations_case_starts_from_the_top(
    client, cast, make_case
):
    theirs = make_case(organisation=cast.partner, by=cast.partner_caseworker)  # the oldest
    for _ in range(30):
        make_case()
    client.force_login(cast.caseworker)
    top, _next_url = read_page(client, "/cases/")

    for cursor in ("no-such-case", theirs.code):
        assert read_page(client, f"/cases/?after={cursor}")[0] == top
