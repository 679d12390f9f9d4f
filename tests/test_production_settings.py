"""Production mode (SECRET_KEY set): `check --deploy` is clean and every response carries the
security headers. Settings are read once per process, so each check runs in a fresh one."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from okoa.lib.crypto import new_key_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def production_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OKOA_", "DATABASE_URL", "DB_", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(
        SECRET_KEY="s" * 20 + new_key_text(),
        ALLOWED_HOSTS="okoa.example",
        EMAIL_HOST="smtp.okoa.example",
        OKOA_ENCRYPTION_KEYS=f"k1:{new_key_text()}",
        OKOA_BLIND_INDEX_KEY=new_key_text(),
        OKOA_BACKUP_KEY=new_key_text(),
        OKOA_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="okoa.settings",
    )
    return env


def run(env, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_to_warn_about(production_env):
    result = run(production_env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_without_encryption_keys_refuses_to_start(production_env):
    del production_env["OKOA_ENCRYPTION_KEYS"]
    result = run(production_env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "okoa.E001" in result.stderr


def test_production_with_two_factor_off_refuses_to_start(production_env):
    production_env["OKOA_REQUIRE_TWO_FACTOR"] = "false"
    result = run(production_env, "manage.py", "check", "--deploy")
    assert result.returncode != 0
    assert "okoa.E003" in result.stderr


def test_the_demo_command_does_not_exist_in_production(production_env):
    result = run(production_env, "manage.py", "demo")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
response = Client().get("/accounts/login/", secure=True, HTTP_HOST="okoa.example")
insecure = Client().get("/accounts/login/", HTTP_HOST="okoa.example")
cookies = {name: dict(morsel) for name, morsel in response.cookies.items()}
print(json.dumps({"status": response.status_code, "headers": dict(response.headers),
                  "insecure": [insecure.status_code, insecure.headers.get("Location")],
                  "cookies": cookies}))
"""


def test_every_response_carries_the_security_headers(production_env):
    result = run(production_env, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    headers = probe["headers"]
    assert probe["status"] == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert probe["insecure"] == [301, "https://okoa.example/accounts/login/"]
    csrf = probe["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
