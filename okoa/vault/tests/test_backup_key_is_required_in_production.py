import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from okoa.lib import crypto
from okoa.vault import backups


def test_production_without_a_backup_key_refuses_to_back_up(settings, tmp_path):
    settings.PRODUCTION = True
    settings.OKOA_BACKUP_KEY = None
    with pytest.raises(
        CommandError, match=r"OKOA_BACKUP_KEY \(or OKOA_BACKUP_KEY_FILE\) is required"
    ):
        call_command("backup", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_production_refuses_a_data_key_as_the_backup_key(settings, swap_keys):
    data_key = crypto.new_key_text()
    swap_keys(encryption=f"k1:{data_key}", index=crypto.new_key_text())
    settings.PRODUCTION = True
    settings.OKOA_BACKUP_KEY = data_key
    with pytest.raises(backups.BackupError, match="is one of the data keys"):
        backups.backup_key()


@pytest.mark.parametrize("text", ["not base64!!", "QUFB"])
def test_a_malformed_backup_key_is_refused(settings, text):
    settings.OKOA_BACKUP_KEY = text
    with pytest.raises(backups.BackupError, match="OKOA_BACKUP_KEY"):
        backups.backup_key()


def test_development_makes_a_private_backup_key_once(settings, tmp_path):
    settings.PRODUCTION = False
    settings.OKOA_BACKUP_KEY = None
    settings.OKOA_DEV_KEY_FILE = tmp_path / "dev-keys.json"

    first = backups.backup_key()

    key_file = tmp_path / "dev-backup-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert backups.backup_key() == first
    assert len(first) == crypto.KEY_BYTES
