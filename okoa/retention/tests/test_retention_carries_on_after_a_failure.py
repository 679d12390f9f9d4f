"""When one person's erasure fails, ``apply_retention`` leaves that person whole, erases the
others, and ends with an error so that the scheduler reports it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from okoa.retention import actions
from okoa.retention.actions import set_retention_policy
from okoa.retention.tests.conftest import close_days_ago


def test_one_failure_does_not_stop_the_others(cast, make_case, monkeypatch):
    set_retention_policy(cast.ngo, closed_case_retention_days=30, by=cast.admin)
    failing, fine = make_case(), make_case()
    for case in (failing, fine):
        close_days_ago(case, 31)
    real = actions._wipe_case

    def wipe(case, **kwargs):
        if case.pk == failing.pk:
            raise RuntimeError("disk full")
        return real(case, **kwargs)

    monkeypatch.setattr(actions, "_wipe_case", wipe)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("apply_retention", stdout=out)

    failing.person.refresh_from_db()
    fine.person.refresh_from_db()
    assert failing.person.erased_at is None and failing.person.given_name == "Akinyi"
    assert fine.person.erased_at is not None
    assert "TUM: 1 people erased (kept 30 days). 1 failed." in out.getvalue()
