"""The commands that make an identity, print its card and register a partner from a card."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from okoa.exchange.identity import build_identity, this_installation
from okoa.exchange.models import Partner
from okoa.exchange.tests.conftest import INBOX_PATHS, make_identity


def run(*arguments: str, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*arguments, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def card_file(tmp_path, identity, name="Pwani Safe Passage", base_url="https://pwani.example"):
    card = identity.card(name=name)
    card["base_url"] = base_url
    path = tmp_path / "card.json"
    path.write_text(json.dumps(card))
    return path


def test_exchange_keys_prints_a_working_identity_and_stores_nothing(db):
    out, _err = run("exchange_keys", "--installation-id", "tumaini-haven")
    lines = dict(
        line.split("=", 1) for line in out.splitlines() if line and not line.startswith("#")
    )
    identity = build_identity(
        lines["OKOA_EXCHANGE_INSTALLATION_ID"],
        lines["OKOA_EXCHANGE_SIGNING_KEY"],
        lines["OKOA_EXCHANGE_ENCRYPTION_KEY"],
        "https://tumaini.example",
    )
    assert identity.installation_id == "tumaini-haven"
    assert run("exchange_keys")[0] != out  # fresh keys every time
    with pytest.raises(CommandError):
        run("exchange_keys", "--installation-id", "no spaces")


def test_partner_card_prints_public_keys_and_the_fingerprint(settings):
    out, err = run(
        "partner_card", "--name", "Tumaini Haven Trust", "--base-url", "https://t.example"
    )
    card = json.loads(out)
    me = this_installation()
    assert card == {
        "format": "okoa-partner-card-1",
        "installation_id": "tumaini-test",
        "name": "Tumaini Haven Trust",
        "base_url": "https://t.example",
        "signing_key": me.signing_public_key,
        "encryption_key": me.encryption_public_key,
    }
    assert settings.OKOA_EXCHANGE_SIGNING_KEY not in out + err
    assert settings.OKOA_EXCHANGE_ENCRYPTION_KEY not in out + err
    assert me.fingerprint in err


def test_add_partner_registers_the_card_and_shows_its_fingerprint(db, tmp_path):
    identity = make_identity("pwani-safe-passage")
    out, _err = run("add_partner", str(card_file(tmp_path, identity)))
    partner = Partner.objects.get()
    assert (partner.installation_id, partner.name, partner.base_url, partner.is_active) == (
        "pwani-safe-passage",
        "Pwani Safe Passage",
        "https://pwani.example",
        True,
    )
    assert partner.signing_key == identity.signing_public_key
    assert identity.fingerprint in out


def test_a_registered_partner_changes_keys_only_with_replace(db, tmp_path):
    run("add_partner", str(card_file(tmp_path, make_identity("pwani-safe-passage"))))
    renewed = make_identity("pwani-safe-passage")
    with pytest.raises(CommandError, match="partner already"):
        run("add_partner", str(card_file(tmp_path, renewed)))
    run("add_partner", str(card_file(tmp_path, renewed)), "--replace", "--name", "Pwani (new keys)")
    partner = Partner.objects.get()
    assert partner.signing_key == renewed.signing_public_key
    assert partner.name == "Pwani (new keys)"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"signing_key": "short"}, "signing_key"),
        ({"encryption_key": ""}, "encryption_key"),
        ({"installation_id": "x"}, "installation_id"),
        ({"base_url": "ftp://pwani.example"}, "base_url"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_card_is_refused_field_by_field(db, tmp_path, change, field):
    path = card_file(tmp_path, make_identity("pwani-safe-passage"))
    card = json.loads(path.read_text())
    card.update(change)
    path.write_text(json.dumps(card))
    with pytest.raises(CommandError, match=f"{field}:"):
        run("add_partner", str(path))
    assert not Partner.objects.exists()


def test_what_is_not_a_card_or_is_our_own_is_refused(db, tmp_path):
    path = tmp_path / "card.json"
    path.write_text("[1, 2, 3]")
    with pytest.raises(CommandError, match="not an Okoa partner card"):
        run("add_partner", str(path))
    own = this_installation().card(name="Ourselves")
    path.write_text(json.dumps(own))
    with pytest.raises(CommandError, match="own card"):
        run("add_partner", str(path))
    assert not Partner.objects.exists()


def test_production_accepts_only_https_partners(db, tmp_path, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="https"):
        run(
            "add_partner",
            str(card_file(tmp_path, make_identity("pwani-plain"), base_url="http://pwani.example")),
        )


@pytest.mark.parametrize("inbox_path", INBOX_PATHS)
def test_production_without_an_identity_has_no_exchange(db, settings, client, inbox_path):
    settings.PRODUCTION = True
    settings.OKOA_EXCHANGE_INSTALLATION_ID = None
    settings.OKOA_EXCHANGE_SIGNING_KEY = None
    settings.OKOA_EXCHANGE_ENCRYPTION_KEY = None
    with pytest.raises(ImproperlyConfigured):
        this_installation()
    response = client.post(inbox_path, b"{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"status": "rejected"}


def test_development_makes_its_identity_once_in_a_private_file(db, settings, tmp_path):
    settings.OKOA_EXCHANGE_INSTALLATION_ID = None
    settings.OKOA_EXCHANGE_SIGNING_KEY = None
    settings.OKOA_EXCHANGE_ENCRYPTION_KEY = None
    settings.OKOA_EXCHANGE_DEV_IDENTITY_FILE = tmp_path / "dev-exchange-identity.json"
    first = this_installation()
    assert (tmp_path / "dev-exchange-identity.json").stat().st_mode & 0o777 == 0o600
    settings.OKOA_EXCHANGE_BASE_URL = "http://127.0.0.1:8001"  # a new cache key, same file
    second = this_installation()
    assert first.installation_id == second.installation_id
    assert first.signing_public_key == second.signing_public_key


def test_a_wrong_key_setting_is_named(settings):
    settings.OKOA_EXCHANGE_SIGNING_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured, match="OKOA_EXCHANGE_SIGNING_KEY"):
        this_installation()
