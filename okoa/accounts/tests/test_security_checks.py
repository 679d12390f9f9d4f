"""Start-up fails in production when two-step verification is off; long timeouts are warned of."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from okoa.accounts.checks import (
    check_session_timeouts,
    check_two_factor_required_in_production,
    stop_on_critical_security_problems,
)
from okoa.lib import crypto

ROOT = Path(__file__).resolve().parents[3]


def test_production_without_two_factor_is_a_critical_error(settings):
    settings.PRODUCTION = True
    settings.OKOA_REQUIRE_TWO_FACTOR = False

    messages = check_two_factor_required_in_production()

    assert [message.id for message in messages] == ["okoa.E003"]
    assert messages[0].level == checks.CRITICAL
    with pytest.raises(ImproperlyConfigured, match=r"okoa\.E003"):
        stop_on_critical_security_problems()


def test_production_with_two_factor_passes(settings):
    settings.PRODUCTION = True
    settings.OKOA_REQUIRE_TWO_FACTOR = True

    assert check_two_factor_required_in_production() == []


def test_development_may_leave_two_factor_off(settings):
    settings.PRODUCTION = False
    settings.OKOA_REQUIRE_TWO_FACTOR = False

    assert check_two_factor_required_in_production() == []


def test_an_idle_timeout_over_an_hour_is_warned_of(settings):
    settings.OKOA_IDLE_TIMEOUT_SECONDS = 2 * 60 * 60

    assert [message.id for message in check_session_timeouts()] == ["okoa.W003"]


def start_wsgi(tmp_path, **overrides):
    environment = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": "production-test-" + "s" * 50,
        "ALLOWED_HOSTS": "okoa.test",
        "OKOA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "OKOA_ENCRYPTION_KEYS": f"k1:{crypto.new_key_text()}",
        "OKOA_BLIND_INDEX_KEY": crypto.new_key_text(),
        "OKOA_BACKUP_KEY": crypto.new_key_text(),
        "EMAIL_HOST": "mail.okoa.test",
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "-c", "import okoa.wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_server_refuses_to_start_in_production_without_two_factor(tmp_path):
    refused = start_wsgi(tmp_path, OKOA_REQUIRE_TWO_FACTOR="false")
    started = start_wsgi(tmp_path)

    assert refused.returncode != 0
    assert "okoa.E003" in refused.stderr
    assert started.returncode == 0, started.stderr
