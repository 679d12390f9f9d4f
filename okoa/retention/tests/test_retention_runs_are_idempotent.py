"""Running ``apply_retention`` again (daily, or after an interruption) erases nobody twice."""

from io import StringIO

from django.core.management import call_command

from okoa.audit.models import ChangeRecord
from okoa.retention.actions import set_retention_policy
from okoa.retention.models import Erasure
from okoa.retention.tests.conftest import close_days_ago


def run() -> str:
    out = StringIO()
    call_command("apply_retention", stdout=out)
    return out.getvalue()


def test_a_second_run_erases_nothing_more(cast, make_case):
    set_retention_policy(cast.ngo, closed_case_retention_days=30, by=cast.admin)
    case = make_case()
    close_days_ago(case, 31)
    assert "TUM: 1 people erased" in run()
    changes = ChangeRecord.objects.count()
    erased_at = Erasure.objects.get().at

    assert "TUM: 0 people erased" in run()

    assert ChangeRecord.objects.count() == changes
    assert Erasure.objects.get().at == erased_at
    case.person.refresh_from_db()
    assert case.person.erased_at == erased_at
