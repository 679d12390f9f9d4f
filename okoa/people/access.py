"""Loading people for a member, and finding them by name, phone or document number.

Contract: a person is reached only through these functions. A person of another organisation,
a missing person and a person the role may not see all raise the same Http404. Data analysts
never reach a person's file: they work with case attributes only.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.http import Http404

from okoa.accounts.models import Capability, Membership
from okoa.lib import crypto, names
from okoa.people.models import Person, PersonSearchToken


def can_see_people(membership: Membership | None) -> bool:
    return bool(membership) and membership.can(Capability.VIEW_IDENTITIES)  # type: ignore[union-attr]


def people_for_user(membership: Membership | None):
    """Return the people the member may see (none for roles without identities)."""
    if not can_see_people(membership):
        return Person.objects.none()
    assert membership is not None
    return Person.objects.filter(organisation_id=membership.organisation_id)


def get_person_for_user(membership: Membership | None, code: str, *, write: bool = False) -> Person:
    """Return the person with ``code`` if the member may see it (or change it, with ``write``)."""
    if write and not (membership and membership.can(Capability.EDIT_CASES)):
        raise Http404
    person = people_for_user(membership).filter(code=code).first()
    if person is None:
        raise Http404
    return person


@dataclass(frozen=True)
class Match:
    person_id: int
    score: int


def _is_number_query(query: str) -> bool:
    return sum(character.isdigit() for character in query) >= 5


@dataclass(frozen=True)
class Narrowing:
    """What else the searcher knows of the person, to pick them out among namesakes.

    A common name ("Mary Kamau", "Fatuma Mohamed") is carried by dozens of people of a large
    organisation, and a name alone cannot say which of them is meant. The year of birth
    matches within ``YEAR_MARGIN`` years (ages are often estimated), the nearest years first
    among equally good names; the county of origin exactly. Both are plain attributes (kept
    for statistics), so narrowing decrypts nothing.
    """

    YEAR_MARGIN = 2

    birth_year: int | None = None
    county_id: int | None = None

    def __bool__(self) -> bool:
        return self.birth_year is not None or self.county_id is not None


def search_people_for_user(
    membership: Membership | None,
    query: str,
    *,
    limit: int = 10,
    narrowing: Narrowing | None = None,
) -> list[tuple[Person, int]]:
    """Find people by name (typos and any order), phone number or document number.

    Returns people with their match score, best first. Matching runs on blind-index tokens;
    nothing is decrypted to search, and only the returned people are decrypted to be shown.
    With a ``narrowing``, only people with those details are returned (best first among them).
    """
    if not can_see_people(membership) or not query.strip():
        return []
    assert membership is not None
    matches = _match_ids(
        membership.organisation_id,
        membership.organisation.code,
        query,
        limit,
        narrowing=narrowing,
    )
    people = Person.objects.in_bulk([match.person_id for match in matches])
    return [
        (people[match.person_id], match.score) for match in matches if match.person_id in people
    ]


def _match_ids(
    organisation_id: int,
    organisation_code: str,
    query: str,
    limit: int,
    *,
    narrowing: Narrowing | None = None,
) -> list[Match]:
    # Two keys while a blind-index rotation is under way: people not yet re-indexed still match.
    scope_keys = crypto.key_ring().index_keys_for(organisation_code)
    if _is_number_query(query):
        keys = {
            f"tel:{names.normalise_phone(query)}",
            f"doc:{names.normalise_document_number(query)}",
        }
        tokens = [crypto.blind_index_with(scope, key) for scope in scope_keys for key in keys]
        holders = (
            PersonSearchToken.objects.filter(organisation_id=organisation_id, token__in=tokens)
            .values_list("person_id", flat=True)
            .distinct()
            .order_by("-person_id")
        )
        if narrowing:
            scores = dict.fromkeys(holders[:NARROWING_MOST], 10)
            return _best_narrowed(scores, organisation_id, narrowing, limit)
        return [Match(person_id, 10) for person_id in holders[:limit]]

    query_keys = names.query_name_keys(query)
    if not query_keys:
        return []
    uses = _tokens_of(scope_keys, query_keys)
    counts = _count_people_by_token(organisation_id, uses)
    within_one_slip = {
        key.part_index for token in counts for key in uses[token] if key.weight >= names.ONE_EDIT
    }
    missing = {key.part_index for key in query_keys} - within_one_slip
    if missing:
        # A part that meets nobody within one slip may hold two: look further for those only.
        more = [
            key
            for key in names.query_name_keys(query, two_edit_parts=missing)
            if key.weight == names.TWO_EDITS
        ]
        if more:
            extra = _tokens_of(scope_keys, more)
            counts.update(_count_people_by_token(organisation_id, extra))
            for token, two_edit_keys in extra.items():
                uses.setdefault(token, []).extend(two_edit_keys)
    worth_reading = _tokens_worth_reading(uses, counts)
    if not worth_reading:
        return []
    scores = _scores(worth_reading, _people_by_token(organisation_id, worth_reading))
    if narrowing:
        return _best_narrowed(scores, organisation_id, narrowing, limit)
    return [Match(person_id, score) for person_id, score in _ranked(scores, limit)]


def _ranked(scores: dict[int, int], count: int) -> list[tuple[int, int]]:
    """The ``count`` best (person id, score): highest score first, then the newest person.

    Scores are small sums (a few points per name part), so people are grouped by score and
    only the groups needed are sorted: a common name has tens of thousands of candidates, and
    ``heapq.nlargest`` with a key over all of them took longer than reading them.
    """
    groups: dict[int, list[int]] = {}
    for person_id, score in scores.items():
        groups.setdefault(score, []).append(person_id)
    ranked: list[tuple[int, int]] = []
    for score in sorted(groups, reverse=True):
        needed = count - len(ranked)
        if needed <= 0:
            break
        group = groups[score]
        best = heapq.nlargest(needed, group) if needed < len(group) else sorted(group, reverse=True)
        ranked += [(person_id, score) for person_id in best]
    return ranked


# Candidates checked against a narrowing: the best NARROWING_FIRST, then, if needed, the next
# ones up to NARROWING_MOST (past that a candidate meets the query by one part's sound at most).
NARROWING_FIRST = 500
NARROWING_MOST = 5000
# Once somebody is found, the second look keeps only scores this close to theirs.
NARROWING_SLACK = 2


def _best_narrowed(
    scores: dict[int, int], organisation_id: int, narrowing: Narrowing, limit: int
) -> list[Match]:
    """The best-scored people that also have the narrowing's details.

    At most two queries, best candidates first: the namesakes that carry the whole name are
    among the first few hundred, and usually settle it. The candidates' ids are written into
    the statement as numbers (they are this function's own integers): binding thousands of
    parameters through the ORM cost more than the look-up.
    """
    ranked = _ranked(scores, NARROWING_MOST)
    found = _having(ranked[:NARROWING_FIRST], organisation_id, narrowing)
    if len(found) < limit and len(ranked) > NARROWING_FIRST:
        rest = ranked[NARROWING_FIRST:]
        if found:
            # Only those nearly as good as the best found (a part a grade worse) are worth more.
            floor = max(match.score for match, _gap in found) - NARROWING_SLACK
            rest = [(person_id, score) for person_id, score in rest if score >= floor]
        found += _having(rest, organisation_id, narrowing)
    # Among equal names, the year of birth closest to the one given first, then the newest.
    found.sort(key=lambda item: (-item[0].score, item[1], -item[0].person_id))
    return [match for match, _gap in found[:limit]]


def _having(
    candidates: list[tuple[int, int]], organisation_id: int, narrowing: Narrowing
) -> list[tuple[Match, int]]:
    """``candidates`` (person id, score) that have the narrowing's details, in their order,
    each with how many years its year of birth is from the one given (0 without a year)."""
    if not candidates:
        return []
    ids = ",".join(str(int(person_id)) for person_id, _score in candidates)
    # By id only: with the organisation in the condition SQLite walked the organisation's index
    # (hundreds of thousands of rows) instead of looking the ids up. The organisation is checked
    # on the rows instead (the candidates come from its own search tokens anyway).
    where = [f"id IN ({ids})"]
    params: list[int] = []
    if narrowing.birth_year is not None:
        where.append("birth_year BETWEEN %s AND %s")
        params += [
            narrowing.birth_year - Narrowing.YEAR_MARGIN,
            narrowing.birth_year + Narrowing.YEAR_MARGIN,
        ]
    if narrowing.county_id is not None:
        where.append("county_of_origin_id = %s")
        params.append(narrowing.county_id)
    table = connection.ops.quote_name(Person._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, organisation_id, birth_year FROM {table} "  # noqa: S608 (ints only)
            f"WHERE {' AND '.join(where)}",
            params,
        )
        gaps = {
            person_id: abs(born - narrowing.birth_year) if narrowing.birth_year else 0
            for person_id, organisation, born in cursor.fetchall()
            if organisation == organisation_id
        }
    return [
        (Match(person_id, score), gaps[person_id])
        for person_id, score in candidates
        if person_id in gaps
    ]


def _tokens_of(
    scope_keys: list[bytes], keys: list[names.QueryKey]
) -> dict[int, list[names.QueryKey]]:
    tokens: dict[int, list[names.QueryKey]] = {}
    for scope_key in scope_keys:
        for key in keys:
            tokens.setdefault(crypto.blind_index_with(scope_key, key.key), []).append(key)
    return tokens


def _count_people_by_token(organisation_id: int, tokens: Collection[int]) -> dict[int, int]:
    """Count the people holding each token (tokens nobody holds are left out).

    Cheap: the covering index is ordered by token, so nothing is sorted and no row is decoded.
    """
    table = PersonSearchToken._meta.db_table
    placeholders = ", ".join(["%s"] * len(tokens))
    sql = (
        f"SELECT token, COUNT(*) FROM {table} WHERE organisation_id = %s "  # noqa: S608
        f"AND token IN ({placeholders}) GROUP BY token"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id, *tokens])
        return dict(cursor.fetchall())


# Per query part, the tokens to read people from and the weight each gives.
PartTokens = dict[int, dict[int, int]]


def _tokens_worth_reading(
    uses: dict[int, list[names.QueryKey]], counts: dict[int, int]
) -> PartTokens:
    """Return, per query part, the tokens worth reading people from, with their weights.

    Reading every matching row is wasteful for common names: everybody called Wanjiku carries
    every deletion key and the phonetic key of "wanjiku" too, so a query for Wanjiku would meet
    each of them seven or eight times. A key that everybody with the part's exact name carries
    (``contains_exact``) and that counts no more people than the exact key lists exactly those
    people, at a lower weight: it is skipped, as are tokens nobody holds.
    """
    exact_counts = {
        key.part_index: counts[token]
        for token in counts
        for key in uses[token]
        if key.weight == names.EXACT
    }
    worth_reading: PartTokens = {}
    for token, count in counts.items():
        for key in uses[token]:
            if key.contains_exact and count == exact_counts.get(key.part_index):
                continue
            weights = worth_reading.setdefault(key.part_index, {})
            weights[token] = max(key.weight, weights.get(token, 0))
    return worth_reading


def _people_by_token(organisation_id: int, worth_reading: PartTokens) -> dict[int, str]:
    """Return each token's person ids as one comma-separated string (one row per token).

    One string per token is far cheaper to fetch than one row per person, and identical
    strings show identical lists without parsing them.
    """
    tokens = sorted({token for weights in worth_reading.values() for token in weights})
    ids = "person_id" if connection.vendor == "sqlite" else "CAST(person_id AS TEXT)"
    join = "group_concat" if connection.vendor == "sqlite" else "string_agg"
    table = PersonSearchToken._meta.db_table
    placeholders = ", ".join(["%s"] * len(tokens))
    # Safe to format: only placeholders, fixed function names and the model's own table name.
    sql = (
        f"SELECT token, {join}({ids}, ',') FROM {table} "  # noqa: S608
        f"WHERE organisation_id = %s AND token IN ({placeholders}) GROUP BY token"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id, *tokens])
        return dict(cursor.fetchall())


def _scores(worth_reading: PartTokens, people: dict[int, str]) -> dict[int, int]:
    """Score people (per part, the best weight that met them; summed over parts).

    Ties go to the newest person, as before. Scoring runs on dicts in memory: grouping the rows
    in SQL needed a temporary b-tree and took several times longer for common names.
    """
    scores: dict[int, int] = {}
    for position, weights in enumerate(worth_reading.values()):
        lists: dict[str, int] = {}
        for token, weight in weights.items():
            listed = people.get(token)
            if listed and weight > lists.get(listed, 0):
                lists[listed] = weight
        best: dict[int, int] = {}
        # Lower weights first, so that a better way of meeting the same person overwrites them.
        for listed, weight in sorted(lists.items(), key=lambda item: item[1]):
            best.update(dict.fromkeys(map(int, listed.split(",")), weight))
        if position == 0:
            scores = best
        else:
            for person_id, weight in best.items():
                scores[person_id] = scores.get(person_id, 0) + weight
    return scores
