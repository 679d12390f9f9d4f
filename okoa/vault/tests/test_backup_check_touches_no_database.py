import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_check_reads_the_whole_backup_and_restores_nothing(small_backup, restore_target):
    before = restore_target.read_bytes()
    output = io.StringIO()
    call_command("restore", str(small_backup), database="target", check=True, stdout=output)
    assert "is whole" in output.getvalue()
    assert restore_target.read_bytes() == before


def test_check_refuses_a_truncated_backup(small_backup, restore_target, tmp_path):
    truncated = tmp_path / "truncated.okoabk"
    truncated.write_bytes(small_backup.read_bytes()[:-100])
    with pytest.raises(CommandError, match="truncated"):
        call_command("restore", str(truncated), database="target", check=True)
