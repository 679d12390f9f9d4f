"""How many new reports one phone number may make an hour comes from the environment
(``OKOA_INTAKE_REPORTS_PER_PHONE``), for the web form, SMS and USSD alike. Settings are read
once per process, so the check runs in a fresh one."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import json, django
django.setup()
from okoa.intake.actions import RATE_LIMITS
print(json.dumps({scope: RATE_LIMITS[scope].limit
                  for scope in ("report_phone", "sms_phone", "ussd_phone", "report_address")}))
"""


def limits(**environment: str) -> dict[str, int]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OKOA_INTAKE")}
    env.update(DJANGO_SETTINGS_MODULE="okoa.settings", **environment)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_five_an_hour_by_default():
    assert limits() == {"report_phone": 5, "sms_phone": 5, "ussd_phone": 5, "report_address": 20}


def test_the_environment_sets_it_for_every_channel():
    found = limits(OKOA_INTAKE_REPORTS_PER_PHONE="12")

    assert found == {"report_phone": 12, "sms_phone": 12, "ussd_phone": 12, "report_address": 20}
