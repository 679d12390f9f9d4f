"""Build a fresh SQLite benchmark database: organisations, people with cases, search tokens.

    uv run python bench/generate.py --people 1000000

Everything is invented (bench/name_pools.py). Personal data is sealed with the real key ring
through the model fields' own ``get_prep_value`` and the search tokens come from the real
``search_keys_for`` and ``blind_index_with``; only the writing is done in bulk (raw
``executemany`` in large transactions, secondary indexes built after the load), because one
``create_person`` per person would take hours. The run ends by checking, for a sample of 100
people, that the values decrypt to what was generated and that the real ``index_person`` writes
exactly the tokens the bulk path wrote. Results go to bench/out/generate.json.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from environment import DEFAULT_DATABASE, machine, start_django, write_result
from name_pools import NameMaker


def weighted(choices: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    """Return values and cumulative weights, for ``pick``."""
    values = [value for value, _weight in choices]
    return values, list(itertools.accumulate(float(weight) for _value, weight in choices))


def pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    values, cumulative = table
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


# Organisations (invented), share of the people, and the number of caseworkers.
ORGANISATIONS = [
    ("Tumaini Haven Trust", "ngo", "TUM", 0.40, 24),
    ("Mwangaza Rescue Network", "ngo", "MWA", 0.25, 15),
    ("Pwani Safe Passage Centre", "shelter", "PWA", 0.15, 9),
    ("Kilima Care Alliance", "health_facility", "KIL", 0.12, 7),
    ("Ziwa Outreach Collective", "ngo", "ZIW", 0.08, 5),
]
BENCH_CASEWORKER_EMAIL = "bench.caseworker@tumaini.bench.test"
FIRST_DAY = datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
SAMPLE_SIZE = 100

# Case attributes: (value, weight).
STATUSES_OF_A_RECENT_CASE = [("open", 45), ("in_care", 40), ("closure_requested", 8), ("closed", 7)]
DISABILITIES = weighted(
    [
        ("unknown", 50),
        ("none", 44),
        ("physical", 2),
        ("sensory", 1.5),
        ("intellectual", 1.5),
        ("psychosocial", 1),
    ]
)
SCOPES = [("transnational", 55), ("in_country", 35), ("unknown", 10)]
TRAFFICKING_STATUSES = [
    ("PossibleVictimOfTrafficking", 50),
    ("ActualVictimOfTrafficking", 40),
    ("NotAVictimOfTrafficking", 5),
    (None, 5),
]
EXPLOITATION_TYPES = [
    ("ForcedLabour", 45),
    ("SexualExploitation", 24),
    ("Servitude", 10),
    ("ChildLabour", 8),
    ("ForcedMarriage", 5),
    ("ForcedBegging", 4),
    ("Other", 2),
    ("ForcedMilitaryByNonStateActors", 1),
    ("OrganRemoval", 0.5),
    ("ForcedAdoption", 0.3),
    ("Surrogacy", 0.2),
]
COUNTRIES_OF_EXPLOITATION = [
    ("SA", 35),
    ("AE", 15),
    ("QA", 10),
    ("OM", 8),
    ("LB", 6),
    ("KW", 5),
    ("BH", 3),
    ("JO", 3),
    ("IQ", 2),
    ("UG", 3),
    ("TZ", 3),
    ("SS", 2),
    ("MM", 2),
    ("LA", 1),
    ("CN", 1),
    ("IN", 1),
]
NARRATIVES = [
    "Recruited by an agent who promised domestic work abroad; the employer kept the passport "
    "and paid nothing for several months.",
    "Offered a job in a hotel in the city; on arrival was locked in a house and forced to work "
    "without pay. Reached the hotline through a neighbour's phone.",
    "Left school after a relative arranged work as a house help; worked long hours, was not "
    "allowed out and was threatened when asking to go home.",
    "Travelled for a promised factory job; the recruitment fee became a debt that grew every "
    "month. Contacted the embassy after escaping.",
    "Identified during a roadside check with several others travelling without documents; "
    "screened at the shelter the same night.",
    "Answered an online advertisement for work in a supermarket abroad; documents were taken at "
    "the airport and the work was not what was promised.",
]


@dataclass
class Lookups:
    """Primary keys of reference rows, by code."""

    countries: dict[str, int]
    counties: dict[int, int]
    sub_counties: dict[int, list[int]]
    items: dict[str, dict[str, int]]


@dataclass
class OrganisationPlan:
    organisation: Any
    share: float
    caseworkers: list[Any]
    scope_key: bytes
    caseworker_ids: list[int] = field(default_factory=list)
    token_cache: dict[str, int] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)
    people: int = 0

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk


@dataclass
class Batch:
    people: list[tuple[Any, ...]] = field(default_factory=list)
    tokens: list[tuple[int, int, int]] = field(default_factory=list)
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    changes: list[tuple[Any, ...]] = field(default_factory=list)
    many: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000, help="people (one case each)")
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=20_000, help="people per transaction")
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE (planner statistics) at the end"
    )
    return parser.parse_args()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def main() -> None:
    arguments = parse_arguments()
    database = arguments.database.resolve()
    remove_database(database)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    start_django(database)

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    lookups = load_lookups()
    phases["migrate_seconds"] = round(time.perf_counter() - started, 1)

    mark = time.perf_counter()
    plans = create_organisations()
    rng = random.Random(arguments.seed)
    sample = set(rng.sample(range(arguments.people), min(SAMPLE_SIZE, arguments.people)))
    expected = bulk_load(arguments, plans, lookups, rng, sample)
    phases["load_seconds"] = round(time.perf_counter() - mark, 1)

    mark = time.perf_counter()
    finish_database(analyze=not arguments.no_analyze)
    phases["index_and_analyze_seconds"] = round(time.perf_counter() - mark, 1)

    mark = time.perf_counter()
    checked = check_sample(expected)
    check_references()
    phases["check_seconds"] = round(time.perf_counter() - mark, 1)

    total = time.perf_counter() - started
    size = sum(
        Path(f"{database}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{database}{suffix}").exists()
    )
    result = {
        "date": datetime.date.today().isoformat(),
        "database": str(database),
        "people": arguments.people,
        "seed": arguments.seed,
        "generation_seconds": round(total, 1),
        "phases": phases,
        "database_bytes": size,
        "database_gib": round(size / 1024**3, 2),
        "peak_memory_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "counts": table_counts(),
        "organisations": {plan.organisation.reference_prefix: plan.people for plan in plans},
        "sample_checked": checked,
        "machine": machine(),
    }
    path = write_result("generate", result)
    print(
        f"Generated {arguments.people:,} people with cases in {total:,.1f} s "
        f"({total / 60:.1f} min); database {size / 1024**3:.2f} GiB; "
        f"{checked} sampled people match the real actions. Results: {path}"
    )


def load_lookups() -> Lookups:
    from okoa.reference.models import CodeListItem, Country, County, SubCounty

    if not Country.objects.exists():
        # The reference data migration loads these; older trees need the command.
        from django.core.management import call_command

        call_command("load_reference_data", verbosity=0)
    items: dict[str, dict[str, int]] = {}
    for item_list, code, pk in CodeListItem.objects.filter(is_active=True).values_list(
        "list", "code", "pk"
    ):
        items.setdefault(item_list, {})[code] = pk
    sub_counties: dict[int, list[int]] = {}
    for county_id, pk in SubCounty.objects.values_list("county_id", "pk"):
        sub_counties.setdefault(county_id, []).append(pk)
    return Lookups(
        countries=dict(Country.objects.values_list("code", "pk")),
        counties=dict(County.objects.values_list("code", "pk")),
        sub_counties=sub_counties,
        items=items,
    )


def create_organisations() -> list[OrganisationPlan]:
    """Create the organisations and their staff through the real actions."""
    from okoa.accounts.actions import create_organisation, create_user
    from okoa.accounts.models import Membership
    from okoa.lib import crypto

    plans = []
    for name, kind, prefix, share, caseworker_count in ORGANISATIONS:
        organisation = create_organisation(name=name, kind=kind, reference_prefix=prefix)
        domain = f"{prefix.lower()}.bench.test"
        caseworkers = [
            create_user(
                email=f"caseworker{number}@{domain}",
                full_name=f"Caseworker {number} {prefix}",
                password=None,
                organisation=organisation,
                role=Membership.Role.CASEWORKER,
            )
            for number in range(1, caseworker_count + 1)
        ]
        plans.append(
            OrganisationPlan(
                organisation=organisation,
                share=share,
                caseworkers=caseworkers,
                caseworker_ids=[user.pk for user in caseworkers],
                scope_key=crypto.key_ring().index_key_for(organisation.code),
            )
        )
    # The member the search and case-list benchmarks act as (no password: force_login). It takes
    # its share of the largest organisation's cases, so "assigned to me" finds some.
    bench_user = create_user(
        email=BENCH_CASEWORKER_EMAIL,
        full_name="Benchmark Caseworker",
        password=None,
        organisation=plans[0].organisation,
        role=Membership.Role.CASEWORKER,
    )
    plans[0].caseworkers.append(bench_user)
    plans[0].caseworker_ids.append(bench_user.pk)
    return plans


def opening_times(count: int, rng: random.Random) -> list[datetime.datetime]:
    """Return ``count`` sorted times since 2019, more of them in recent years (growing use)."""
    from django.utils import timezone

    now = timezone.now()
    span = (now - FIRST_DAY).total_seconds()
    # sqrt(u) gives a linearly growing density.
    offsets = sorted(span * rng.random() ** 0.5 for _ in range(count))
    return [FIRST_DAY + datetime.timedelta(seconds=offset) for offset in offsets]


class PersonMaker:
    """Draw one invented person's values (as ``create_person`` would receive them)."""

    def __init__(self, rng: random.Random, lookups: Lookups) -> None:
        self.rng = rng
        self.lookups = lookups
        self.names = NameMaker(rng)
        self.used_documents: set[str] = set()

    def person(self, opened: datetime.datetime) -> dict[str, Any]:
        rng = self.rng
        roll = rng.random()
        sex = (
            "female" if roll < 0.62 else "male" if roll < 0.98 else rng.choice(["other", "unknown"])
        )
        drawn = self.names.name(
            sex if sex in ("female", "male") else rng.choice(["female", "male"]),
            with_other_name=rng.random() < 0.40,
            with_family_name=rng.random() < 0.98,
        )
        community = drawn.community
        # A quarter are children; adults are mostly 18 to 35 when identified.
        age = (
            rng.randint(10, 17)
            if rng.random() < 0.25
            else int(min(60, 18 + rng.expovariate(1 / 9)))
        )
        year_identified = opened.year
        values: dict[str, Any] = {
            "given_name": drawn.given,
            "family_name": drawn.family,
            "other_names": list(drawn.other),
            "sex": sex,
            "languages": list(community.languages[: rng.randint(1, len(community.languages))]),
            "disability": pick(rng, DISABILITIES),
        }
        date_of_birth = None
        if rng.random() < 0.55:
            date_of_birth = datetime.date(year_identified - age, 1, 1) + datetime.timedelta(
                days=rng.randrange(365)
            )
        values["date_of_birth"] = date_of_birth
        values["birth_year"] = date_of_birth.year if date_of_birth else year_identified - age
        values["birth_year_is_estimated"] = date_of_birth is None
        nationality = community.nationality
        if community.name == "somali" and rng.random() < 0.35:
            nationality = "SO"
        values["nationality"] = self.lookups.countries.get(nationality)
        county = sub_county = None
        if nationality == "KE" and rng.random() < 0.9:
            counties = community.counties or (47,)
            code = counties[min(int(rng.expovariate(0.8)), len(counties) - 1)]
            county = self.lookups.counties.get(code)
            if county and rng.random() < 0.5:
                sub_county = rng.choice(self.lookups.sub_counties.get(county, [None]))
        values["county_of_origin"], values["sub_county_of_origin"] = county, sub_county
        phones = []
        if rng.random() < 0.65:
            digits = f"07{rng.randrange(10**8):08d}"
            phones.append(
                rng.choice(
                    [digits, f"{digits[:4]} {digits[4:7]} {digits[7:]}", f"+254 {digits[1:]}"]
                )
            )
            if rng.random() < 0.12:
                phones.append(f"01{rng.randrange(10**8):08d}")
        values["phone_numbers"] = phones
        values["national_id_number"] = ""
        if nationality == "KE" and age >= 18 and rng.random() < 0.45:
            values["national_id_number"] = self.document(
                lambda: str(rng.randrange(10**7, 4 * 10**7))
            )
        values["passport_number"] = ""
        if rng.random() < 0.18:
            letters = "AK" if nationality == "KE" else rng.choice(["A", "B", "EP", "C"])
            values["passport_number"] = self.document(
                lambda: f"{letters}{rng.randrange(10**6, 10**7)}"
            )
        return values

    def document(self, make: Any) -> str:
        while True:
            number = make()
            if number not in self.used_documents:
                self.used_documents.add(number)
                return number


class CaseMaker:
    """Draw one case's attributes (as ``open_case`` and the later actions would set them)."""

    def __init__(self, rng: random.Random, lookups: Lookups) -> None:
        self.rng = rng
        self.lookups = lookups
        self.scopes = weighted(SCOPES)
        self.trafficking = weighted(TRAFFICKING_STATUSES)
        self.exploitation = weighted(EXPLOITATION_TYPES)
        self.destinations = weighted(COUNTRIES_OF_EXPLOITATION)
        self.recent_statuses = weighted(STATUSES_OF_A_RECENT_CASE)
        self.recruitment = sorted(lookups.items["recruitment_type"].values())
        industries = lookups.items["labour_industry"]
        # Domestic work (households as employers) dominates, then hotels and farms.
        heavy = {
            "T_ActivitiesOfHouseholdsAsEmployers": 30,
            "I_AccommodationAndFoodServiceActivities": 5,
            "A_AgricultureForestryAndFishing": 4,
        }
        self.industries = weighted([(pk, heavy.get(code, 1)) for code, pk in industries.items()])
        self.controls = sorted(lookups.items["method_of_control"].values())

    def status(self, opened: datetime.datetime, now: datetime.datetime) -> str:
        age_days = (now - opened).days
        # Older cases are more often closed.
        if self.rng.random() < min(0.85, age_days / 900):
            return "closed"
        return pick(self.rng, self.recent_statuses)

    def case(self, opened: datetime.datetime, now: datetime.datetime, nationality: int | None):
        rng = self.rng
        items = self.lookups.items
        status = self.status(opened, now)
        closed_at = None
        if status == "closed":
            closed_at = min(now, opened + datetime.timedelta(days=rng.randint(14, 700)))
        scope = pick(rng, self.scopes)
        trafficking = pick(rng, self.trafficking)
        opened_day = opened.date()
        identified = opened_day - datetime.timedelta(days=rng.randint(0, 20))
        recruited = identified - datetime.timedelta(days=rng.randint(60, 1500))
        began = recruited + datetime.timedelta(days=rng.randint(0, 50))
        ended = identified - datetime.timedelta(days=rng.randint(0, 10))
        types = {pick(rng, self.exploitation) for _ in range(1 if rng.random() < 0.8 else 2)}
        many: dict[str, list[int]] = {
            "exploitation_types": [items["exploitation_type"][code] for code in types],
            "countries_of_origin": [nationality] if nationality else [],
            "countries_of_exploitation": [],
            "labour_industries": [],
            "methods_of_control": [],
        }
        if scope == "transnational":
            many["countries_of_exploitation"] = [
                self.lookups.countries[pick(rng, self.destinations)]
            ]
        elif scope == "in_country":
            many["countries_of_exploitation"] = [self.lookups.countries["KE"]]
        if "ForcedLabour" in types or "Servitude" in types:
            many["labour_industries"] = [pick(rng, self.industries)]
        many["methods_of_control"] = rng.sample(self.controls, rng.randint(0, 3))
        single = {
            "status": status,
            "closed_at": closed_at,
            "identified_on": identified,
            "scope": scope,
            "trafficking_status": items["trafficking_status"].get(trafficking)
            if trafficking
            else None,
            "recruitment_type": rng.choice(self.recruitment) if rng.random() < 0.7 else None,
            "recruited_on": recruited if rng.random() < 0.6 else None,
            "exploitation_began_on": began if rng.random() < 0.5 else None,
            "exploitation_ended_on": ended if rng.random() < 0.5 else None,
            "narrative": rng.choice(NARRATIVES) if rng.random() < 0.6 else "",
        }
        return single, many


def bulk_load(
    arguments: argparse.Namespace,
    plans: list[OrganisationPlan],
    lookups: Lookups,
    rng: random.Random,
    sample: set[int],
) -> dict[int, dict[str, Any]]:
    """Write people, search tokens, cases, timelines and change records; return the sample."""
    from django.db import connection
    from django.utils import timezone

    from okoa.audit.models import ChangeRecord
    from okoa.cases.models import Case, CaseEvent
    from okoa.lib import crypto
    from okoa.people.actions import search_keys_for
    from okoa.people.models import Person, PersonSearchToken

    connection.ensure_connection()
    raw = connection.connection
    # A fresh file that is rebuilt from scratch on failure: no journal, no syncs, big cache.
    raw.execute("PRAGMA journal_mode=OFF")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-1048576")
    raw.execute("PRAGMA temp_store=MEMORY")
    dropped = drop_secondary_indexes(
        raw,
        [Person, PersonSearchToken, Case, CaseEvent, ChangeRecord]
        + [Case._meta.get_field(name).remote_field.through for name in MANY_NAMES],
    )

    seal = {
        name: Person._meta.get_field(name).get_prep_value
        for name in (
            "given_name",
            "family_name",
            "other_names",
            "date_of_birth",
            "phone_numbers",
            "national_id_number",
            "passport_number",
        )
    }
    seal_narrative = Case._meta.get_field("narrative").get_prep_value
    languages_field = Person._meta.get_field("languages")
    adapt_time = connection.ops.adapt_datetimefield_value
    adapt_date = connection.ops.adapt_datefield_value

    person_row = RowMaker(Person, connection)
    case_row = RowMaker(Case, connection)
    inserts = {
        "people": insert_sql(Person, person_row.columns),
        "tokens": insert_sql(PersonSearchToken, ["person_id", "organisation_id", "token"]),
        "cases": insert_sql(Case, case_row.columns),
        "events": insert_sql(CaseEvent, ["case_id", "kind", "at", "by_id", "data", "text"]),
        "changes": insert_sql(
            ChangeRecord,
            ["at", "user_id", "organisation_id", "record_kind", "record_code", "action", "fields"],
        ),
    }
    many_sql = {}
    for name in MANY_NAMES:
        many_field = Case._meta.get_field(name)
        through = many_field.remote_field.through  # type: ignore[union-attr]
        many_sql[name] = insert_sql(
            through,
            [many_field.m2m_column_name(), many_field.m2m_reverse_name()],  # type: ignore[union-attr]
        )

    from okoa.lib.codes import new_code

    now = timezone.now()
    local_zone = timezone.get_current_timezone()
    people = PersonMaker(rng, lookups)
    cases = CaseMaker(rng, lookups)
    plan_choice = weighted([(plan, plan.share) for plan in plans])
    expected: dict[int, dict[str, Any]] = {}
    batch = Batch()
    times = opening_times(arguments.people, rng)
    progress_every = max(arguments.batch, arguments.people // 20)
    mark = time.perf_counter()

    def flush() -> None:
        raw.execute("BEGIN")
        raw.executemany(inserts["people"], batch.people)
        raw.executemany(inserts["tokens"], batch.tokens)
        raw.executemany(inserts["cases"], batch.cases)
        for name, rows in batch.many.items():
            raw.executemany(many_sql[name], rows)
        raw.executemany(inserts["events"], batch.events)
        raw.executemany(inserts["changes"], batch.changes)
        raw.execute("COMMIT")

    for index, opened in enumerate(times):
        pk = index + 1
        plan = pick(rng, plan_choice)
        organisation = plan.organisation
        plan.people += 1
        creator = rng.choice(plan.caseworker_ids)
        organisation_id = plan.organisation_id
        values = people.person(opened)
        if index in sample:
            expected[pk] = dict(values)
        person_code = new_code()
        created = adapt_time(opened)
        batch.people.append(
            person_row(
                id=pk,
                code=person_code,
                organisation_id=organisation_id,
                given_name=seal["given_name"](values["given_name"]),
                family_name=seal["family_name"](values["family_name"]),
                other_names=seal["other_names"](values["other_names"]),
                sex=values["sex"],
                date_of_birth=seal["date_of_birth"](values["date_of_birth"]),
                birth_year=values["birth_year"],
                birth_year_is_estimated=values["birth_year_is_estimated"],
                nationality_id=values["nationality"],
                languages=languages_field.get_db_prep_save(values["languages"], connection),
                phone_numbers=seal["phone_numbers"](values["phone_numbers"]),
                national_id_number=seal["national_id_number"](values["national_id_number"]),
                passport_number=seal["passport_number"](values["passport_number"]),
                county_of_origin_id=values["county_of_origin"],
                sub_county_of_origin_id=values["sub_county_of_origin"],
                disability=values["disability"],
                created_at=created,
                created_by_id=creator,
                updated_at=created,
            )
        )

        # The real key derivation; hashes of name keys repeat a lot, so they are memoised.
        cache = plan.token_cache
        tokens = set()
        for key in search_keys_for(SimpleNamespace(**values)):  # type: ignore[arg-type]
            token = cache.get(key)
            if token is None:
                token = crypto.blind_index_with(plan.scope_key, key)
                if key[:2] in ("n:", "d:", "p:"):
                    cache[key] = token
            tokens.add(token)
        batch.tokens.extend((pk, organisation_id, token) for token in tokens)

        single, many = cases.case(opened, now, values["nationality"])
        year = opened.astimezone(local_zone).year
        number = plan.counters[year] = plan.counters.get(year, 0) + 1
        reference = f"{organisation.reference_prefix}-{year}-{number:05d}"
        assignee = rng.choice(plan.caseworkers) if rng.random() < 0.85 else None
        assignee_id = plan.caseworker_ids[plan.caseworkers.index(assignee)] if assignee else None
        case_code = new_code()
        closed_at = single["closed_at"]
        updated = closed_at or opened
        batch.cases.append(
            case_row(
                id=pk,
                code=case_code,
                organisation_id=organisation_id,
                reference=reference,
                person_id=pk,
                survivor_sex=values["sex"],
                survivor_county_id=values["county_of_origin"],
                status=single["status"],
                assigned_to_id=assignee_id,
                opened_at=created,
                closed_at=adapt_time(closed_at) if closed_at else None,
                updated_at=adapt_time(updated),
                version=1 if single["status"] == "open" else 2,
                identified_on=adapt_date(single["identified_on"]),
                scope=single["scope"],
                trafficking_status_id=single["trafficking_status"],
                recruitment_type_id=single["recruitment_type"],
                recruited_on=adapt_date(single["recruited_on"]),
                exploitation_began_on=adapt_date(single["exploitation_began_on"]),
                exploitation_ended_on=adapt_date(single["exploitation_ended_on"]),
                narrative=seal_narrative(single["narrative"]),
            )
        )
        for name, ids in many.items():
            batch.many.setdefault(name, []).extend((pk, item) for item in ids)

        # JSONField stores json.dumps(value): the same text, without the per-call overhead.
        # The last value is the event's encrypted free text: none here ("" is stored as it is).
        batch.events.append(
            (pk, "opened", created, creator, json.dumps({"reference": reference}), "")
        )
        if assignee is not None:
            batch.events.append(
                (pk, "assigned", created, creator, json.dumps({"to": assignee.code}), "")
            )
        if single["status"] != "open":
            change = {"previous": "open", "to": single["status"]}
            batch.events.append(
                (pk, "status_changed", adapt_time(updated), creator, json.dumps(change), "")
            )
        person_fields = sorted(
            key
            for key, value in values.items()
            if key in PERSON_INPUTS and value not in (None, "", [])
        )
        case_fields = sorted(
            [key for key, value in single.items() if key in CASE_INPUTS and value]
            + [name for name, ids in many.items() if ids]
        )
        for kind, code, fields in (
            ("person", person_code, person_fields),
            ("case", case_code, case_fields),
        ):
            batch.changes.append(
                (
                    created,
                    creator,
                    organisation_id,
                    kind,
                    code,
                    "created",
                    json.dumps(fields),
                )
            )

        if len(batch.people) >= arguments.batch:
            flush()
            batch = Batch()
        if pk % progress_every == 0:
            elapsed = time.perf_counter() - mark
            print(f"  {pk:>9,} people  {elapsed:7.1f} s  ({pk / elapsed:,.0f}/s)", flush=True)
    if batch.people:
        flush()

    with connection.cursor() as cursor:
        from okoa.cases.models import CaseReferenceCounter

        cursor.executemany(
            f"INSERT INTO {CaseReferenceCounter._meta.db_table} "
            "(organisation_id, year, last_number) VALUES (%s, %s, %s)",
            [
                (plan.organisation.pk, year, number)
                for plan in plans
                for year, number in sorted(plan.counters.items())
            ],
        )
    print("  building indexes...", flush=True)
    for sql in dropped:
        raw.execute(sql)
    return expected


MANY_NAMES = (
    "exploitation_types",
    "countries_of_origin",
    "countries_of_exploitation",
    "labour_industries",
    "methods_of_control",
)
# The keyword arguments create_person and open_case receive (for the change records).
PERSON_INPUTS = {
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "nationality",
    "languages",
    "phone_numbers",
    "national_id_number",
    "passport_number",
    "county_of_origin",
    "sub_county_of_origin",
    "disability",
}
CASE_INPUTS = {
    "identified_on",
    "scope",
    "trafficking_status",
    "recruitment_type",
    "recruited_on",
    "exploitation_began_on",
    "exploitation_ended_on",
    "narrative",
}


class RowMaker:
    """Build a model's rows in column order; columns not given take the field's default.

    Columns added to the models later (an ``erased_at``, say) need no change here as long as
    their default is right for a newly created record.
    """

    def __init__(self, model: Any, connection: Any) -> None:
        fields = model._meta.concrete_fields
        self.columns = [field.column for field in fields]
        self.names = [field.attname for field in fields]
        self.defaults = {
            field.attname: None
            if not field.has_default() and field.null
            else field.get_db_prep_save(field.get_default(), connection)
            for field in fields
        }

    def __call__(self, **values: Any) -> tuple[Any, ...]:
        unknown = set(values) - set(self.names)
        if unknown:
            raise ValueError(f"Not columns: {', '.join(sorted(unknown))}")
        return tuple(values[name] if name in values else self.defaults[name] for name in self.names)


def insert_sql(model: Any, columns: list[str]) -> str:
    placeholders = ", ".join("?" for _ in columns)
    return f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({placeholders})"


def drop_secondary_indexes(raw: Any, models: list[Any]) -> list[str]:
    """Drop the tables' explicit indexes (kept as SQL to rebuild them after the load).

    Building an index once over sorted data is far faster than keeping it up to date row by
    row. Indexes SQLite made for UNIQUE constraints cannot be dropped and stay.
    """
    tables = [model._meta.db_table for model in models]
    rows = raw.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' for _ in tables)})",
        tables,
    ).fetchall()
    for name, _sql in rows:
        raw.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def finish_database(*, analyze: bool) -> None:
    """Return to the settings' journal mode and gather the planner's statistics."""
    from django.db import connection

    raw = connection.connection
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    if analyze:
        # What `PRAGMA optimize` does for a long-lived database; see docs/benchmarks.md.
        raw.execute("ANALYZE")


def check_sample(expected: dict[int, dict[str, Any]]) -> int:
    """Check sampled people against the real model fields and the real ``index_person``."""
    from django.db import transaction

    from okoa.people.actions import index_person
    from okoa.people.models import Person, PersonSearchToken

    for pk, values in expected.items():
        person = Person.objects.select_related("organisation").get(pk=pk)
        for name in (
            "given_name",
            "family_name",
            "other_names",
            "phone_numbers",
            "national_id_number",
            "passport_number",
            "date_of_birth",
            "sex",
        ):
            if getattr(person, name) != values[name]:
                raise SystemExit(f"Person {person.code}: {name} does not read back as generated.")
        rows = list(PersonSearchToken.objects.filter(person=person).values_list("token", flat=True))
        stored = set(rows)
        if len(rows) != len(stored):
            raise SystemExit(f"Person {person.code}: duplicate search tokens.")
        with transaction.atomic():
            index_person(person)
            real = set(
                PersonSearchToken.objects.filter(person=person).values_list("token", flat=True)
            )
            transaction.set_rollback(True)
        if real != stored:
            raise SystemExit(
                f"Person {person.code}: the bulk tokens differ from index_person's "
                f"({len(stored - real)} extra, {len(real - stored)} missing)."
            )
    return len(expected)


def check_references() -> None:
    """Check that each reference counter equals the number of references of its year."""
    from django.db import connection

    from okoa.cases.models import Case, CaseReferenceCounter

    with connection.cursor() as cursor:
        cursor.execute(
            # PREFIX-YEAR-NUMBER: the prefix is letters only.
            "SELECT organisation_id, CAST(substr(reference, instr(reference, '-') + 1, 4) AS "
            "INTEGER), COUNT(*), MAX(CAST(substr(reference, instr(reference, '-') + 6) AS "
            f"INTEGER)) FROM {Case._meta.db_table} GROUP BY 1, 2"
        )
        counted = {(org, year): (count, top) for org, year, count, top in cursor.fetchall()}
    counters = {
        (counter.organisation_id, counter.year): counter.last_number
        for counter in CaseReferenceCounter.objects.all()
    }
    if set(counted) != set(counters):
        raise SystemExit("Case reference counters and case years differ.")
    for key, (count, top) in counted.items():
        if not count == top == counters[key]:
            raise SystemExit(
                f"Reference counter {key} is {counters[key]}, cases say {count}/{top}."
            )


def table_counts() -> dict[str, int]:
    from django.db import connection

    tables = [
        "people_person",
        "people_personsearchtoken",
        "cases_case",
        "cases_caseevent",
        "cases_case_exploitation_types",
        "audit_changerecord",
    ]
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


if __name__ == "__main__":
    sys.exit(main())
