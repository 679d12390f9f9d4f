"""Links in emails and SMS start with OKOA_SITE_URL: in production the site's https address
(by default its first named host), never a development fallback."""

import os
import subprocess
import sys
from pathlib import Path

from okoa.lib.crypto import new_key_text

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import django; django.setup(); from django.conf import settings; print(settings.OKOA_SITE_URL)"
)


def site_url(**values: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OKOA_", "DATABASE_URL", "DB_", "ALLOWED_HOSTS"))
    }
    env.update(
        SECRET_KEY="s" * 20 + new_key_text(),
        OKOA_ENCRYPTION_KEYS=f"k1:{new_key_text()}",
        OKOA_BLIND_INDEX_KEY=new_key_text(),
        OKOA_BACKUP_KEY=new_key_text(),
        DJANGO_SETTINGS_MODULE="okoa.settings",
        **values,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_links_default_to_the_first_named_host_over_https():
    result = site_url(ALLOWED_HOSTS=".okoa.example,okoa.example,www.okoa.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://okoa.example"


def test_production_refuses_a_plain_http_site_address():
    result = site_url(ALLOWED_HOSTS="okoa.example", OKOA_SITE_URL="http://okoa.example")
    assert result.returncode != 0
    assert "OKOA_SITE_URL must be the site's https:// address." in result.stderr
