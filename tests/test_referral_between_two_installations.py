"""A referral goes from an NGO's Okoa installation to the secretariat's and its answers come
back, through two real installations, with the receiving one down when the referral leaves.

Installation A (the NGO "Tumaini Haven Trust") and installation B (the invented "Usalama
Coordination Secretariat") are set up by their site administrators' commands
(``tests/two_installations.py``): keys, cards, each other as partners, directories exchanged.
Everything else goes through their web pages over HTTP, signed in as their caseworkers: on A
consent for B's organisation and the referral; B is stopped before it leaves, so delivery fails
and the message is kept; B starts again and A's delivery service delivers it once. On B the
referral holds only the shared sections; B's caseworker accepts and completes it, and A's
referral ends completed with the outcome. Each message was processed exactly once on each side,
and a copy of the referral's envelope (recorded by a relay in front of B) posted to B again, or
tampered with, changes nothing.
"""

from __future__ import annotations

import datetime
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.two_installations import (
    Installation,
    Relay,
    WebSession,
    delivery_loop,
    envelope_kind,
    migrated_database,
    on_both,
    post_envelope,
    query,
    set_up,
    stop_loop,
    wait_for,
)

PASSWORD = "invented password for a test 7"
NGO_CASEWORKER = "achieng@tumaini.test"
SECRETARIAT_CASEWORKER = "baraka@usalama.test"

NGO_PEOPLE = f"""
import json
from okoa.accounts.actions import create_user
from okoa.accounts.models import Organisation
from okoa.cases.actions import open_case, update_case
from okoa.people.actions import create_person
ngo = Organisation.objects.get(code=CODE)
caseworker = create_user(email={NGO_CASEWORKER!r}, full_name="Achieng Otieno",
                         password={PASSWORD!r}, organisation=ngo, role="caseworker")
person = create_person(ngo, by=caseworker, given_name="Nyambura", family_name="Kiprono",
                       sex="female", phone_numbers=["0700 000 181"], passport_number="DEMO-8181")
case = open_case(person, by=caseworker, assigned_to=caseworker)
update_case(case, by=caseworker, narrative="Promised hotel work; kept in a house in Mtwapa.")
print(json.dumps({{"case": case.code, "reference": case.reference}}))
"""

SECRETARIAT_PEOPLE = f"""
from okoa.accounts.actions import create_user
from okoa.accounts.models import Organisation
create_user(email={SECRETARIAT_CASEWORKER!r}, full_name="Baraka Mwita", password={PASSWORD!r},
            organisation=Organisation.objects.get(code=CODE), role="caseworker")
"""


def add_people(installation: Installation, script: str) -> str:
    code = f"CODE = {installation.organisation_code!r}\n"
    return installation.manage("shell", "--command", code + script)


def messages(installation: Installation, table: str) -> list[tuple[str, ...]]:
    """(message id, kind, status-like columns) of the installation's outbox or inbox."""
    if table == "outbound":
        return query(
            installation,
            "SELECT message_id, kind, status, attempts, last_error FROM exchange_outboundmessage",
        )
    return query(installation, "SELECT message_id, kind, duplicates FROM exchange_inboundmessage")


def referral_row(installation: Installation) -> tuple[str, ...]:
    [row] = query(
        installation, "SELECT code, status, outcome, case_id, sections FROM referrals_referral"
    )
    return row


def option_value(page: str, name: str) -> str:
    match = re.search(rf'<option value="(\d+)">{re.escape(name)}</option>', page)
    assert match, f"{name} is not offered"
    return match.group(1)


def version_on(page: str, action: str) -> str:
    form = page[page.index(f"/{action}/") :]
    return re.search(r'name="version" value="(\d+)"', form).group(1)  # type: ignore[union-attr]


@pytest.fixture
def installations() -> Iterator[tuple[Installation, Installation, Relay]]:
    with tempfile.TemporaryDirectory(prefix="okoa-referral-") as folder:
        ngo = Installation("Tumaini Haven Trust", "tumaini-haven", Path(folder) / "a")
        secretariat = Installation(
            "Usalama Coordination Secretariat", "usalama-secretariat", Path(folder) / "b"
        )
        # A reaches B's inbox through the relay, which keeps a copy of what travelled.
        relay = Relay(target_port=secretariat.port)
        secretariat.environment["OKOA_EXCHANGE_BASE_URL"] = relay.url
        relay.start()
        try:
            yield ngo, secretariat, relay
        finally:
            on_both(Installation.stop, ngo, secretariat)
            relay.stop()


def test_a_referral_reaches_the_secretariat_through_an_outage_and_its_answers_come_back(
    installations,
):
    ngo, secretariat, relay = installations
    template = migrated_database(ngo.folder.parent / "template")
    on_both(
        lambda each: set_up(each, template, kind="ngo" if each is ngo else "ctip_secretariat"),
        ngo,
        secretariat,
    )
    ngo.manage("add_partner", str(secretariat.folder / "card.json"))
    secretariat.manage("add_partner", str(ngo.folder / "card.json"))
    printed = on_both(
        lambda each: add_people(each, NGO_PEOPLE if each is ngo else SECRETARIAT_PEOPLE),
        ngo,
        secretariat,
    )
    case = json.loads(printed[0].strip().splitlines()[-1])
    on_both(Installation.start, ngo, secretariat)
    on_both(lambda each: each.manage("exchange_directory"), ngo, secretariat)
    [(stand_in_name,)] = query(
        ngo, "SELECT name FROM accounts_organisation WHERE name LIKE 'Usalama%'"
    )

    # On A: consent for the secretariat's organisation, then the referral, while B is down.
    at_ngo = WebSession(ngo)
    at_ngo.sign_in(NGO_CASEWORKER, PASSWORD)
    consent_path = f"/referrals/cases/{case['case']}/consent/"
    stand_in = option_value(at_ngo.get(consent_path).text, stand_in_name)
    consent = at_ngo.post(
        consent_path,
        {
            "given_by": "survivor",
            "given_on": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
            "organisations": [stand_in],
            "sections": ["basic", "contact"],
        },
    )
    assert consent.status == 302, consent.text[-2000:]
    secretariat.stop()
    sent = at_ngo.post(
        f"/referrals/cases/{case['case']}/new/",
        {
            "to_organisation": stand_in,
            "service_kind": "repatriation",
            "urgency": "urgent",
            "sections": ["basic", "contact"],
            "reason_note": "Wishes to go home to Busia; needs travel papers.",
        },
    )
    assert sent.status == 302, sent.text[-2000:]
    detail_path = sent.location
    code = detail_path.strip("/").rsplit("/", 1)[-1]

    # The first delivery fails (B is down) and the message is kept, with its body.
    def referral_message() -> tuple[str, ...] | None:
        found = [row for row in messages(ngo, "outbound") if row[1] == "referral.sent"]
        return found[0] if found and found[0][2] in {"failed", "delivered"} else None

    failed = wait_for(referral_message, "the first delivery attempt")
    assert failed[2] == "failed" and failed[4].startswith("unreachable"), failed
    assert "waiting to be delivered" in at_ngo.get(detail_path).text

    # B comes back; A's delivery service delivers what waited.
    secretariat.start()
    loops = on_both(delivery_loop, ngo, secretariat)
    try:
        delivered = wait_for(
            lambda: (row := referral_message()) and row[2] == "delivered" and row,
            "the referral to be delivered",
        )
        assert delivered[3] >= 2 and delivered[4] == ""
        assert "Sent to the installation Usalama Coordination Secretariat · delivered" in (
            at_ngo.get(detail_path).text
        )

        # On B: the referral exists without a case, with the shared sections only.
        received_code, status, _outcome, case_id, sections = referral_row(secretariat)
        assert (status, case_id, json.loads(sections)) == ("sent", None, ["basic", "contact"])
        at_secretariat = WebSession(secretariat)
        at_secretariat.sign_in(SECRETARIAT_CASEWORKER, PASSWORD)
        assert f"/referrals/{received_code}/" in at_secretariat.get("/referrals/received/").text
        page = at_secretariat.get(f"/referrals/{received_code}/").text
        for shared in ("Nyambura", "0700 000 181", "Wishes to go home to Busia", "Repatriation"):
            assert shared in page
        for kept_at_the_ngo in ("Kiprono", "DEMO-8181", "Mtwapa", case["reference"], code):
            assert kept_at_the_ngo not in page
        assert "Received from the installation Tumaini Haven Trust" in page

        # B's caseworker accepts, then completes with the outcome.
        accepted = at_secretariat.post(
            f"/referrals/{received_code}/accept/",
            {"version": version_on(page, "accept")},
            form_path=f"/referrals/{received_code}/",
        )
        assert accepted.status == 302
        page = at_secretariat.get(f"/referrals/{received_code}/").text
        completed = at_secretariat.post(
            f"/referrals/{received_code}/complete/",
            {
                "version": version_on(page, "complete"),
                "outcome": "service_provided",
                "note": "Travel papers issued; she travelled home on the 14th.",
            },
            form_path=f"/referrals/{received_code}/",
        )
        assert completed.status == 302

        # A's referral ends completed, with the outcome, told through the exchange.
        wait_for(
            lambda: referral_row(ngo)[1:3] == ("completed", "service_provided"),
            "the completion to reach the NGO",
        )
        page = at_ngo.get(detail_path).text
        assert "Service provided" in page and "Travel papers issued" in page
        assert page.count("through the exchange") == 2
    finally:
        for loop in loops:
            assert stop_loop(loop) == 0

    # Each message was processed exactly once on each side, and everything was delivered.
    def kinds(rows: list[tuple[str, ...]]) -> list[str]:
        return sorted(row[1] for row in rows)

    at_b, at_a = messages(secretariat, "inbound"), messages(ngo, "inbound")
    assert kinds(at_b) == ["exchange.organisations", "referral.sent"]
    assert kinds(at_a) == ["exchange.organisations", "referral.answered", "referral.answered"]
    assert all(row[2] == 0 for row in at_a + at_b)  # no message arrived twice
    assert {row[0] for row in messages(ngo, "outbound")} == {row[0] for row in at_b}
    assert {row[0] for row in messages(secretariat, "outbound")} == {row[0] for row in at_a}
    for installation in (ngo, secretariat):
        assert {row[2] for row in messages(installation, "outbound")} == {"delivered"}
        assert query(installation, "SELECT count(*) FROM exchange_refusedmessage") == [(0,)]
    events = query(ngo, "SELECT status FROM referrals_referralevent ORDER BY id")
    assert [status for (status,) in events] == ["sent", "accepted", "completed"]

    # A copy of the referral's envelope, as it travelled, posted to B again changes nothing;
    # tampered with, it is refused and recorded.
    [copy] = [
        data
        for data, status in relay.posted
        if status == 200 and envelope_kind(data) == "referral.sent"
    ]
    before = (
        referral_row(secretariat),
        query(secretariat, "SELECT count(*) FROM referrals_referralevent"),
    )
    status, answer = post_envelope(secretariat, copy)
    assert status == 200 and answer["status"] == "accepted"
    envelope = json.loads(copy)
    ciphertext = envelope["ciphertext"]
    envelope["ciphertext"] = ("B" if ciphertext[0] == "A" else "A") + ciphertext[1:]
    status, _answer = post_envelope(secretariat, json.dumps(envelope).encode())
    assert status == 403
    after = (
        referral_row(secretariat),
        query(secretariat, "SELECT count(*) FROM referrals_referralevent"),
    )
    assert after == before and after[0][1] == "completed"
    assert query(
        secretariat,
        "SELECT kind, duplicates FROM exchange_inboundmessage WHERE kind = ?",
        "referral.sent",
    ) == [("referral.sent", 1)]
    assert query(secretariat, "SELECT reason FROM exchange_refusedmessage") == [("bad_signature",)]
