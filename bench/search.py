"""Measure name search on the benchmark database: speed and whether the right person is found.

    uv run python bench/search.py

Picks people of the largest organisation at random, types each one's name with one or two typos
(a letter wrong, missing, added, or two neighbours swapped; in one or two name parts; sometimes
in another order or without the middle name) and runs the real ``search_people_for_user``
(limit 10) as a caseworker of that organisation, timing each call in-process. A query is a hit
when the intended person is among the 10 results. Writes bench/out/search.json.
"""

from __future__ import annotations

import argparse
import collections
import random
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from environment import DEFAULT_DATABASE, machine, percentiles, start_django, write_result

AMBIGUOUS_ABOVE = 10


@dataclass
class Query:
    person_id: int
    text: str
    typos: int
    typo_parts: int
    parts: int
    reordered: bool
    other_name_left_out: bool
    # The name parts as they were before the typos (normalised).
    intended_parts: tuple[str, ...]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--warm-up", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--output", default="search", help="name of the JSON file in bench/out")
    parser.add_argument(
        "--no-typos",
        action="store_true",
        help="type the names correctly (a secondary figure: the common case in real use)",
    )
    parser.add_argument(
        "--show-misses", type=int, default=0, help="print this many missed queries (invented data)"
    )
    parser.add_argument(
        "--detail",
        choices=["none", "year", "county", "both"],
        default="none",
        help="also give the person's year of birth and/or county of origin, as the search page's "
        "'Narrow a common name' does (the name keeps its typos)",
    )
    return parser.parse_args()


def typo(part: str, rng: random.Random) -> str:
    """Return ``part`` with one typing slip: a letter wrong, missing, added, or two swapped."""
    letters = string.ascii_lowercase
    while True:
        kind = rng.choice(["substitution", "deletion", "insertion", "transposition"])
        position = rng.randrange(len(part))
        if kind == "substitution":
            slipped = part[:position] + rng.choice(letters) + part[position + 1 :]
        elif kind == "deletion":
            if len(part) < 3:
                continue
            slipped = part[:position] + part[position + 1 :]
        elif kind == "insertion":
            slipped = part[:position] + rng.choice(letters) + part[position:]
        else:
            if len(part) < 2:
                continue
            position = min(position, len(part) - 2)
            slipped = part[:position] + part[position + 1] + part[position] + part[position + 2 :]
        if slipped.lower() != part.lower():
            return slipped[:1].upper() + slipped[1:].lower()


def make_query(
    person_id: int,
    given: str,
    others: list[str],
    family: str,
    rng: random.Random,
    *,
    with_typos: bool = True,
) -> Query:
    """Type one person's name the way a hurried caseworker might."""
    from okoa.lib.names import name_parts

    parts = [given, *others, family]
    parts = [part for part in parts if part]
    left_out = False
    if others and rng.random() < 0.35:
        parts = [given, family] if family else [given]
        left_out = True
    intended = tuple(name_parts(" ".join(parts)))
    reordered = False
    if len(parts) > 1 and rng.random() < 0.2:
        # Surname first, as on many forms ("Kamau Mary Wanjiku").
        parts = [parts[-1], *parts[:-1]]
        reordered = True
    typos = (1 if rng.random() < 0.5 else 2) if with_typos else 0
    if typos == 0:
        slipped_parts: list[int] = []
    elif typos == 2 and len(parts) > 1 and rng.random() < 0.5:
        slipped_parts = rng.sample(range(len(parts)), 2)
    else:
        slipped_parts = [rng.randrange(len(parts))] * typos
    for index in slipped_parts:
        parts[index] = typo(parts[index], rng)
    return Query(
        person_id=person_id,
        text=" ".join(parts),
        typos=typos,
        typo_parts=len(set(slipped_parts)),
        parts=len(parts),
        reordered=reordered,
        other_name_left_out=left_out,
        intended_parts=intended,
    )


def main() -> None:
    arguments = parse_arguments()
    start_django(arguments.database)
    from generate import BENCH_CASEWORKER_EMAIL

    from okoa.accounts.models import Membership
    from okoa.lib.names import name_parts
    from okoa.people.access import Narrowing, search_people_for_user
    from okoa.people.models import Person

    membership = Membership.objects.select_related("organisation", "user").get(
        user__email=BENCH_CASEWORKER_EMAIL
    )
    organisation = membership.organisation
    rng = random.Random(arguments.seed)

    print(f"Reading the names of {organisation.reference_prefix}'s people...", flush=True)
    started = time.perf_counter()
    names: dict[int, tuple[str, list[str], str]] = {}
    full_names: collections.Counter[tuple[str, ...]] = collections.Counter()
    holders: dict[str, set[int]] = collections.defaultdict(set)
    details: dict[int, tuple[int | None, int | None]] = {}
    people = Person.objects.filter(organisation=organisation).values_list(
        "pk", "given_name", "family_name", "other_names", "birth_year", "county_of_origin"
    )
    for pk, given, family, others, born, county in people:
        names[pk] = (given, others or [], family)
        details[pk] = (born, county)
        parts = tuple(name_parts(" ".join([given, *(others or []), family])))
        full_names[parts] += 1
        for part in set(parts):
            holders[part].add(pk)
    print(f"  {len(names):,} people in {time.perf_counter() - started:.1f} s", flush=True)

    def sharing(query: Query) -> int:
        """How many people carry every (untyped) part of the query: all equally good answers."""
        sets = sorted((holders[part] for part in set(query.intended_parts)), key=len)
        return len(set.intersection(*sets)) if sets else 0

    chosen = rng.sample(sorted(names), arguments.warm_up + arguments.queries)
    queries = [make_query(pk, *names[pk], rng, with_typos=not arguments.no_typos) for pk in chosen]
    warm, measured = queries[: arguments.warm_up], queries[arguments.warm_up :]

    def narrowing(query: Query) -> Narrowing:
        born, county = details[query.person_id]
        return Narrowing(
            birth_year=born if arguments.detail in ("year", "both") else None,
            county_id=county if arguments.detail in ("county", "both") else None,
        )

    def search(query: Query) -> list[Any]:
        return search_people_for_user(
            membership, query.text, limit=arguments.limit, narrowing=narrowing(query)
        )

    for query in warm:
        search(query)

    timings: list[float] = []
    hits = 0
    ranks: collections.Counter[int] = collections.Counter()
    by_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    ambiguous = ambiguous_hits = query_ambiguous = query_ambiguous_hits = 0
    misses = []
    for query in measured:
        before = time.perf_counter()
        results = search(query)
        timings.append((time.perf_counter() - before) * 1000)
        found = [person.pk for person, _score in results]
        hit = query.person_id in found
        hits += hit
        if hit:
            ranks[found.index(query.person_id) + 1] += 1
        given, others, family = names[query.person_id]
        exact_twins = full_names[tuple(name_parts(" ".join([given, *others, family])))]
        if exact_twins > AMBIGUOUS_ABOVE:
            ambiguous += 1
            ambiguous_hits += hit
        if sharing(query) > AMBIGUOUS_ABOVE:
            query_ambiguous += 1
            query_ambiguous_hits += hit
        for kind in (
            f"{query.typos} typo(s) in {query.typo_parts} part(s)",
            f"{query.parts} name parts typed",
            "reordered" if query.reordered else "in order",
            "other name left out" if query.other_name_left_out else "all names typed",
        ):
            by_kind[kind][0] += hit
            by_kind[kind][1] += 1
        if not hit:
            misses.append(query)

    count = len(measured)
    clear = count - query_ambiguous
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "database": str(Path(arguments.database).resolve()),
        "organisation_people": len(names),
        "queries": count,
        "warm_up": arguments.warm_up,
        "limit": arguments.limit,
        "typos": "none" if arguments.no_typos else "one or two per query",
        "detail": arguments.detail,
        "timing": percentiles(timings),
        "hit_rate": round(hits / count, 4),
        "hits": hits,
        "rank_of_hits": dict(sorted(ranks.items())),
        "ambiguous_exact_full_name": ambiguous,
        "hits_among_ambiguous_exact_full_name": ambiguous_hits,
        "ambiguous_query": query_ambiguous,
        "hits_among_ambiguous_query": query_ambiguous_hits,
        "hit_rate_without_ambiguous_queries": round((hits - query_ambiguous_hits) / clear, 4)
        if clear
        else None,
        "by_kind": {
            kind: {"hits": hit, "queries": total, "hit_rate": round(hit / total, 4)}
            for kind, (hit, total) in sorted(by_kind.items())
        },
        "machine": machine(),
    }
    path = write_result(arguments.output, result)
    timing = result["timing"]
    print(
        f"Name search, {count} queries over {len(names):,} people: "
        f"p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms, p99 {timing['p99_ms']} ms; "
        f"hit rate {hits / count:.1%} (intended person in the top {arguments.limit}); "
        f"{ambiguous} queries for a full name that more than {AMBIGUOUS_ABOVE} people share "
        f"({ambiguous_hits} of them hits); {query_ambiguous} queries whose untyped parts more "
        f"than {AMBIGUOUS_ABOVE} people carry ({query_ambiguous_hits} hits). Results: {path}"
    )
    for kind, figures in result["by_kind"].items():  # type: ignore[union-attr]
        print(f"  {kind:32} {figures['hit_rate']:.1%} of {figures['queries']}")
    for query in misses[: arguments.show_misses]:
        intended = " ".join(
            filter(
                None,
                [names[query.person_id][0], *names[query.person_id][1], names[query.person_id][2]],
            )
        )
        print(f"  missed: {query.text!r} for {intended!r} (shared by {sharing(query)})")


if __name__ == "__main__":
    sys.exit(main())
