"""``apply_retention --dry-run`` counts who would be erased and changes nothing."""

from io import StringIO

from django.core.management import call_command

from okoa.audit.models import ChangeRecord
from okoa.retention.actions import set_retention_policy
from okoa.retention.models import Erasure
from okoa.retention.tests.conftest import close_days_ago, stored_ciphertexts


def test_a_dry_run_counts_and_erases_nothing(cast, make_case):
    set_retention_policy(cast.ngo, closed_case_retention_days=60, by=cast.admin)
    for _ in range(2):
        close_days_ago(make_case(), 61)
    close_days_ago(make_case(), 10)
    before, changes = stored_ciphertexts(), ChangeRecord.objects.count()
    out = StringIO()

    call_command("apply_retention", "--dry-run", stdout=out)

    assert "TUM: 2 people would be erased" in out.getvalue()
    assert stored_ciphertexts() == before
    assert ChangeRecord.objects.count() == changes
    assert not Erasure.objects.exists()
