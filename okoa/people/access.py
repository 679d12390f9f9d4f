"""Loading people for a member, and finding them by name, phone or document number.

Contract: a person is reached only through these functions. A person of another organisation,
a missing person and a person the role may not see all raise the same Http404. Data analysts
never reach a person's file: they work with case attributes only.
"""

from __future__ import annotations

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


def search_people_for_user(
    membership: Membership | None, query: str, *, limit: int = 10
) -> list[tuple[Person, int]]:
    """Find people by name (typos and any order), phone number or document number.

    Returns people with their match score, best first. Matching runs on blind-index tokens;
    nothing is decrypted to search, and only the returned people are decrypted to be shown.
    """
    if not can_see_people(membership) or not query.strip():
        return []
    assert membership is not None
    matches = _match_ids(membership.organisation_id, membership.organisation.code, query, limit)
    people = Person.objects.in_bulk([match.person_id for match in matches])
    return [(people[match.person_id], match.score) for match in matches if match.person_id in people]


def _match_ids(organisation_id: int, organisation_code: str, query: str, limit: int) -> list[Match]:
    scope_key = crypto.key_ring().index_key_for(organisation_code)
    if _is_number_query(query):
        keys = {f"tel:{names.normalise_phone(query)}", f"doc:{names.normalise_document_number(query)}"}
        tokens = [crypto.blind_index_with(scope_key, key) for key in keys]
        rows = (
            PersonSearchToken.objects.filter(organisation_id=organisation_id, token__in=tokens)
            .values_list("person_id", flat=True)
            .distinct()
            .order_by("-person_id")[:limit]
        )
        return [Match(person_id, 10) for person_id in rows]

    query_keys = names.query_name_keys(query)
    if not query_keys:
        return []
    hashed = [
        (crypto.blind_index_with(scope_key, key.key), key.part_index, key.weight)
        for key in query_keys
    ]
    parts = sorted({part for _, part, _ in hashed})
    params: list[int] = []
    part_scores = []
    for part in parts:
        by_weight: dict[int, list[int]] = {}
        for token, token_part, weight in hashed:
            if token_part == part:
                by_weight.setdefault(weight, []).append(token)
        whens = []
        for weight in sorted(by_weight, reverse=True):
            tokens = by_weight[weight]
            whens.append(f"WHEN token IN ({', '.join(['%s'] * len(tokens))}) THEN {int(weight)}")
            params.extend(tokens)
        part_scores.append(f"MAX(CASE {' '.join(whens)} ELSE 0 END)")
    all_tokens = sorted({token for token, _, _ in hashed})
    table = PersonSearchToken._meta.db_table
    # Safe to format: only placeholders, integer weights and the model's own table name.
    sql = (
        f"SELECT person_id, {' + '.join(part_scores)} AS score "  # noqa: S608
        f"FROM {table} WHERE organisation_id = %s AND token IN ({', '.join(['%s'] * len(all_tokens))}) "
        "GROUP BY person_id ORDER BY score DESC, person_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, organisation_id, *all_tokens, limit])
        return [Match(person_id, score) for person_id, score in cursor.fetchall()]
