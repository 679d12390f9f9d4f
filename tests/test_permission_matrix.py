"""Every route of Okoa, for every role, answers what the rules below say.

The routes come from the URL configuration and the API schema, so a new route without a rule
here fails the suite. Object routes are tried with records of the first organisation: its
members get their pages, another organisation's caseworker (``partner``) gets the same 404 as
for a missing record. POST routes are sent an empty form: a role that may act sees the form
again (400) or is redirected (302); a role that may not gets 404 (or 403 where a page exists
but an action does not).
"""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permission_world import ROLES, World, build_world

# Which record each URL parameter names, by route.
OBJECT_OF_ROUTE = {
    "cases": "case",
    "people": "person",
    "intake:group": "incident",
    "intake:add_to_group": "incident",
    "intake:call": "call",
    "intake:report_from_call": "call",
    "intake:attachment": "attachment",
    "intake": "report",
    "screening": "screening",
    "operations": "operation",
    "care:service": "care_service",
    "care:visit": "follow_up_visit",
    "care:goal": "care_goal",
    "retention": "erasure",
    "shelters:check_out": "shelter_stay",
    "shelters": "shelter",
    "exchange:ping": "partner_installation",
    "directory": "service",
    "referrals:withdraw_consent": "consent",
    "referrals": "referral",
    "notifications:read": "notification",
}
SKIPPED = {"set_language", "api", "admin", "docs"}


def _walk(resolver, prefix="", namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def page_routes() -> list[tuple[str, str]]:
    """Every named page route outside the API and the Django admin."""
    return sorted(
        {
            (name, pattern)
            for name, pattern in _walk(get_resolver())
            if name.split(":")[0] not in SKIPPED and name not in SKIPPED
        }
    )


def _record_for(name: str) -> str:
    if name in OBJECT_OF_ROUTE:
        return OBJECT_OF_ROUTE[name]
    return OBJECT_OF_ROUTE[name.split(":")[0]]


def path_for(world: World, name: str, pattern: str) -> str:
    path = "/" + pattern
    path = path.replace("<str:person_code>", world.codes["person"])
    path = path.replace("<str:case_code>", world.codes["case"])
    path = path.replace("<str:uidb64>", "MQ").replace("<str:token>", "not-a-token")
    # Gateway callbacks: the secret in the path is the gateway's credential; a wrong one is tried.
    path = path.replace("<str:secret>", "not-the-secret")
    if "<str:code>" in path:
        path = path.replace("<str:code>", world.codes[_record_for(name)])
    assert "<" not in path, path
    return path


def request_route(world: World, role: str, name: str, pattern: str, method: str) -> int:
    """Send ``method`` to the route as ``role``; return the status (0: sent to sign in)."""
    client = world.client(role)
    path = path_for(world, name, pattern)
    response = client.post(path, {}) if method == "POST" else client.get(path)
    if response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
        return 0  # sent to sign in
    return response.status_code


# The rules. "0" = sent to sign in. Columns follow ROLES:
#   anonymous operator caseworker supervisor admin analyst partner site_admin
RULES: dict[str, tuple[str, str]] = {}


def rule(name: str, method: str, answers: str) -> None:
    RULES[name] = (method, answers)


rule("accounts:api_tokens", "GET", "0 200 200 200 200 200 200 200")
rule("accounts:login", "GET", "200 302 302 302 302 302 302 302")
rule("accounts:logout", "POST", "0 0 0 0 0 0 0 0")
rule("accounts:organisation", "GET", "0 200 200 200 200 200 200 200")
rule("accounts:password_change", "GET", "0 200 200 200 200 200 200 200")
rule("accounts:password_reset", "GET", "200 200 200 200 200 200 200 200")
rule("accounts:password_reset_complete", "GET", "200 200 200 200 200 200 200 200")
rule("accounts:password_reset_confirm", "GET", "200 200 200 200 200 200 200 200")
rule("accounts:password_reset_done", "GET", "200 200 200 200 200 200 200 200")
rule("accounts:recovery_codes", "GET", "0 302 302 302 302 302 302 302")
rule("accounts:revoke_api_token", "POST", "0 302 302 302 302 302 302 302")
rule("accounts:two_factor", "GET", "0 0 0 0 0 0 0 0")
rule("accounts:two_factor_setup", "GET", "0 200 200 200 200 200 200 200")
rule("audit:changes", "GET", "0 404 404 404 200 404 404 404")
rule("audit:reads", "GET", "0 404 404 404 200 404 404 404")
rule("care:assessments", "GET", "0 404 200 200 200 200 404 404")
rule("care:closure", "GET", "0 404 200 200 200 404 404 404")
rule("care:follow_ups", "GET", "0 404 200 200 200 200 404 404")
rule("care:follow_up_policy", "GET", "0 404 404 200 200 404 404 404")
rule("care:goal", "GET", "0 404 200 200 200 404 404 404")
rule("care:legal", "GET", "0 404 200 200 200 200 404 404")
rule("care:livelihood", "GET", "0 404 200 200 200 200 404 404")
rule("care:new_assessment", "GET", "0 404 200 200 200 404 404 404")
rule("care:new_goal", "GET", "0 404 200 200 200 404 404 404")
rule("care:new_hearing", "POST", "0 404 400 400 400 404 404 404")
rule("care:new_service", "GET", "0 404 200 200 200 404 404 404")
rule("care:overdue", "GET", "0 403 200 200 200 403 200 403")
rule("care:plan", "GET", "0 404 200 200 200 200 404 404")
rule("care:service", "GET", "0 404 200 200 200 404 404 404")
rule("care:start_reintegration", "POST", "0 404 400 400 400 404 404 404")
rule("care:visit", "GET", "0 404 200 200 200 404 404 404")
rule("dashboards:day", "GET", "0 403 200 200 200 403 200 403")
rule("dashboards:team", "GET", "0 403 403 200 200 403 403 403")
rule("exchange:ping", "POST", "0 404 404 404 404 404 404 302")
rule("exchange:status", "GET", "0 404 404 404 200 404 404 200")
rule("cases:add_note", "POST", "0 404 400 400 400 404 404 404")
rule("cases:assign", "POST", "0 404 403 302 302 404 404 404")
rule("cases:change_status", "POST", "0 404 400 400 400 404 404 404")
rule("cases:detail", "GET", "0 404 200 200 200 200 404 404")
rule("cases:edit", "GET", "0 404 200 200 200 404 404 404")
rule("cases:export", "GET", "0 403 200 200 200 200 200 403")
rule("cases:home", "GET", "0 200 200 200 200 200 200 200")
rule("cases:list", "GET", "0 403 200 200 200 200 200 403")
rule("cases:new", "GET", "0 403 200 200 200 403 200 403")
rule("cases:new_for_person", "GET", "0 404 200 200 200 404 404 404")
rule("cases:search", "GET", "0 403 200 200 200 200 200 403")
rule("intake:add_to_group", "GET", "0 403 200 200 200 403 404 403")
rule("intake:assign", "POST", "0 302 302 302 302 404 404 404")
rule("intake:attachment", "GET", "0 200 200 200 200 404 404 404")
rule("intake:call", "GET", "0 200 200 200 200 404 404 404")
rule("intake:calls", "GET", "0 200 200 200 200 403 200 403")
rule("intake:change_status", "POST", "0 400 400 400 400 404 404 404")
rule("intake:close", "POST", "0 400 400 400 400 404 404 404")
rule("intake:edit_report", "GET", "0 200 200 200 200 404 404 404")
rule("intake:group", "GET", "0 200 200 200 200 404 404 404")
rule("intake:new_call", "GET", "0 200 200 200 200 403 200 403")
rule("intake:new_report", "GET", "0 200 200 200 200 403 200 403")
rule("intake:open_case", "GET", "0 403 200 200 200 403 404 403")
rule("intake:open_group", "GET", "0 403 200 200 200 403 404 403")
rule("intake:public_report", "GET", "200 200 200 200 200 200 200 200")
rule("intake:public_status", "GET", "200 200 200 200 200 200 200 200")
rule("intake:queue", "GET", "0 200 200 200 200 403 200 403")
rule("intake:refer", "POST", "0 400 400 400 400 404 404 404")
rule("intake:report", "GET", "0 200 200 200 200 404 404 404")
rule("intake:report_from_call", "POST", "0 302 302 302 302 404 404 404")
rule("operations:change_status", "POST", "0 404 400 400 400 404 404 404")
rule("operations:detail", "GET", "0 404 200 200 200 200 404 404")
rule("operations:edit", "GET", "0 404 200 200 200 404 404 404")
rule("operations:import", "GET", "0 404 200 200 200 404 404 404")
rule("operations:list", "GET", "0 403 200 200 200 200 200 403")
rule("operations:new", "GET", "0 403 200 200 200 403 200 403")
rule("operations:new_partner", "GET", "0 404 200 200 200 404 404 404")
rule("operations:print", "GET", "0 404 200 200 200 200 404 404")
rule("people:add_dependant", "GET", "0 404 200 200 200 404 404 404")
rule("people:detail", "GET", "0 404 200 200 200 404 404 404")
rule("people:edit", "GET", "0 404 200 200 200 404 404 404")
rule("people:new", "GET", "0 403 200 200 200 403 200 403")
rule("retention:approve", "POST", "0 404 404 400 400 404 404 404")
rule("retention:policy", "GET", "0 404 404 404 200 404 404 404")
rule("retention:reject", "POST", "0 404 404 400 400 404 404 404")
rule("retention:request", "GET", "0 404 200 200 200 404 404 404")
rule("retention:request_detail", "GET", "0 404 200 200 200 404 404 404")
rule("retention:requests", "GET", "0 404 404 200 200 404 404 404")
rule("retention:withdraw", "POST", "0 404 302 400 400 404 404 404")
rule("screening:decide", "POST", "0 404 400 400 400 404 404 404")
rule("screening:detail", "GET", "0 404 200 200 200 200 404 404")
rule("screening:history", "GET", "0 404 200 200 200 200 404 404")
rule("screening:new", "GET", "0 404 200 200 200 404 404 404")
rule("shelters:check_in", "GET", "0 404 200 200 200 404 404 404")
rule("shelters:check_out", "GET", "0 404 200 200 200 404 404 404")
rule("shelters:detail", "GET", "0 404 200 200 200 200 404 404")
rule("shelters:edit", "GET", "0 404 404 200 200 404 404 404")
rule("shelters:list", "GET", "0 403 200 200 200 200 200 403")
rule("shelters:new", "GET", "0 403 403 200 200 403 403 403")
rule("shelters:occupancy", "GET", "0 404 200 200 200 200 404 404")

# Directory: any member reads; the owning organisation's administrator keeps it. Referrals: the
# world's referral goes from ngo to partner, so partner is its receiver.
rule("directory:edit", "GET", "0 404 404 404 200 404 404 404")
rule("directory:new_service", "GET", "0 403 403 403 200 403 403 403")
rule("directory:find", "GET", "0 200 200 200 200 200 200 403")
rule("directory:service", "GET", "0 200 200 200 200 200 200 404")
rule("directory:set_active", "POST", "0 404 404 404 400 404 404 404")
rule("referrals:accept", "POST", "0 404 404 404 404 404 400 404")
rule("referrals:case", "GET", "0 404 200 200 200 404 404 404")
rule("referrals:complete", "POST", "0 404 404 404 404 404 400 404")
rule("referrals:deadlines", "GET", "0 404 404 404 200 404 404 404")
rule("referrals:decline", "POST", "0 404 404 404 404 404 400 404")
rule("referrals:detail", "GET", "0 404 200 200 200 404 200 404")
rule("referrals:refer", "GET", "0 404 200 200 200 404 404 404")
rule("referrals:new_consent", "GET", "0 404 200 200 200 404 404 404")
rule("referrals:override", "GET", "0 404 403 200 200 404 404 404")
rule("referrals:received", "GET", "0 403 200 200 200 403 200 403")
rule("referrals:sent", "GET", "0 403 200 200 200 403 200 403")
rule("referrals:withdraw", "POST", "0 404 400 400 400 404 404 404")
rule("referrals:withdraw_consent", "POST", "0 404 302 302 302 404 404 404")
# Referral statistics: counts only, for the roles that see statistics.
rule("referrals:statistics", "GET", "0 403 403 200 200 200 403 403")
rule("referrals:statistics_csv", "GET", "0 403 403 200 200 200 403 403")

# Notifications: every account has its own list; only the recipient marks one read (the world's
# is the caseworker's); the organisation's administrator sets the desk's contacts.
rule("notifications:contacts", "GET", "0 403 403 403 200 403 403 403")
rule("notifications:list", "GET", "0 200 200 200 200 200 200 200")
rule("notifications:read", "POST", "0 404 302 404 404 404 404 404")
rule("notifications:read_all", "POST", "0 302 302 302 302 302 302 302")

# Gateway callbacks need no account (Africa's Talking calls them) but the gateway's secret: with a
# secret configured and no address allow-list, a call without it or with a wrong one is refused
# (403), whoever is signed in.
rule("intake:sms_callback", "POST", "403 403 403 403 403 403 403 403")
rule("intake:ussd_callback", "POST", "403 403 403 403 403 403 403 403")
rule("intake:sms_callback_with_secret", "POST", "403 403 403 403 403 403 403 403")
rule("intake:ussd_callback_with_secret", "POST", "403 403 403 403 403 403 403 403")


# Partner installations post envelopes without an account; an empty form is not an envelope.
rule("exchange:inbox", "POST", "400 400 400 400 400 400 400 400")


@pytest.fixture
def world(cast, settings) -> World:
    settings.OKOA_WEBHOOK_SECRET = "matrix-" + "s" * 40
    settings.OKOA_WEBHOOK_ALLOWED_IPS = []
    return build_world(cast)


def test_every_page_route_has_a_rule():
    missing = sorted(name for name, _pattern in page_routes() if name not in RULES)
    assert missing == [], f"routes without a rule in the permission matrix: {missing}"


def test_every_rule_names_a_route():
    known = {name for name, _pattern in page_routes()}
    assert sorted(set(RULES) - known) == []


@pytest.mark.parametrize(("name", "pattern"), page_routes(), ids=lambda value: str(value))
def test_each_role_gets_what_the_rules_say(world, name, pattern):
    method, answers = RULES[name]
    expected = dict(zip(ROLES, (int(code) for code in answers.split()), strict=True))
    seen = {role: request_route(world, role, name, pattern, method) for role in ROLES}
    assert seen == expected


# The API, from its OpenAPI schema. Records are addressed by the first organisation's codes and
# write calls carry a valid body, so that access, not validation, decides the answer. Columns
# follow ROLES (site administrators hold no token: "-").
API_RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/cases"): "401 404 200 200 200 200 200 -",
    ("GET", "/api/cases/{code}"): "401 404 200 200 200 200 404 -",
    ("GET", "/api/people"): "401 404 200 200 200 404 200 -",
    ("GET", "/api/people/{code}"): "401 404 200 200 200 404 404 -",
    ("PATCH", "/api/cases/{code}"): "401 404 200 200 200 404 404 -",
    ("PATCH", "/api/people/{code}"): "401 404 200 200 200 404 404 -",
    ("POST", "/api/cases"): "401 404 201 201 201 404 400 -",
    ("POST", "/api/cases/{code}/status"): "401 404 200 200 200 404 404 -",
    ("POST", "/api/people"): "401 404 201 201 201 404 201 -",
    ("POST", "/api/people/search"): "401 404 200 200 200 404 200 -",
    # Referrals are read only, with the pages' answers: the list is 403 for roles without
    # survivors' details; the world's referral goes to ``partner``, who reads it as receiver.
    ("GET", "/api/referrals"): "401 403 200 200 200 403 200 -",
    ("GET", "/api/referrals/{code}"): "401 404 200 200 200 404 200 -",
    # Partner installations post without a token (the envelope is signed); "{}" is no envelope.
    ("POST", "/api/exchange/inbox"): "400 400 400 400 400 400 400 -",
}


def api_body(world: World, method: str, path: str) -> dict[str, object]:
    """A valid body for a write call, read fresh (versions move as earlier roles write)."""
    from okoa.cases.models import Case
    from okoa.people.models import Person

    if path == "/api/people":
        return {"given_name": "Nasimiyu"}
    if path == "/api/people/search":
        return {"query": "Chepkoech Too"}
    if path == "/api/people/{code}":
        return {
            "version": Person.objects.get(code=world.codes["person"]).version,
            "family_name": "Too",
        }
    if path == "/api/cases":
        return {"person": world.codes["person"]}
    if path == "/api/cases/{code}":
        return {
            "version": Case.objects.get(code=world.codes["case"]).version,
            "narrative": "Updated through the API",
        }
    if path == "/api/cases/{code}/status":
        return {"to": "in_care", "reason": "Admitted"}
    return {}


def api_operations() -> list[tuple[str, str]]:
    from okoa.api.urls import api

    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    )


def request_api(world: World, role: str, method: str, path: str) -> int:
    from django.test import Client

    record = "person" if path.startswith("/api/people") else "case"
    if path.startswith("/api/referrals"):
        record = "referral"
    url = path.replace("{code}", world.codes[record])
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    client = Client()
    if method == "GET":
        return client.get(url, **headers).status_code
    send = getattr(client, method.lower())
    body = json.dumps(api_body(world, method, path))
    return send(url, body, content_type="application/json", **headers).status_code


def test_every_api_operation_has_a_rule():
    assert sorted(set(api_operations()) - set(API_RULES)) == []
    assert sorted(set(API_RULES) - set(api_operations())) == []


@pytest.mark.parametrize(("method", "path"), api_operations(), ids=lambda value: str(value))
def test_each_role_gets_what_the_api_rules_say(world, method, path):
    expected = dict(zip(ROLES, API_RULES[(method, path)].split(), strict=True))
    seen = {
        role: str(request_api(world, role, method, path))
        if role in world.tokens or role == "anonymous"
        else "-"
        for role in ROLES
    }
    assert seen == expected
