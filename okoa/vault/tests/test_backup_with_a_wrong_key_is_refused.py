import base64
import json
import logging
import struct

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from okoa.lib import crypto
from okoa.vault.backups import MAGIC


def test_a_backup_opened_with_another_key_is_refused_and_changes_nothing(
    small_backup, restore_target, settings, caplog
):
    settings.OKOA_BACKUP_KEY = crypto.new_key_text()
    before = restore_target.read_bytes()

    with (
        caplog.at_level(logging.WARNING, logger="okoa.vault"),
        pytest.raises(CommandError, match="sealed with a different backup key"),
    ):
        call_command("restore", str(small_backup), database="target")

    assert restore_target.read_bytes() == before
    assert [record.getMessage() for record in caplog.records if record.name == "okoa.vault"] == [
        f"Restore of {small_backup} into database 'target' refused: wrong-key"
    ]


def test_naming_the_other_key_in_the_header_does_not_help(
    small_backup, restore_target, settings, tmp_path
):
    other_key = crypto.new_key_text()
    settings.OKOA_BACKUP_KEY = other_key
    data = small_backup.read_bytes()
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    header = json.loads(data[len(MAGIC) + 4 : len(MAGIC) + 4 + length])
    header["key_fingerprint"] = crypto.fingerprint(crypto._decode_key("key", other_key))
    body = json.dumps(header, sort_keys=True).encode()
    forged = tmp_path / "forged.okoabk"
    forged.write_bytes(
        MAGIC + struct.pack(">I", len(body)) + body + data[len(MAGIC) + 4 + length :]
    )
    before = restore_target.read_bytes()

    with pytest.raises(CommandError, match="damaged or was tampered with"):
        call_command("restore", str(forged), database="target")

    assert restore_target.read_bytes() == before


def test_the_backup_key_is_not_stored_in_the_backup(small_backup, backup_key):
    data = small_backup.read_bytes()
    for form in (backup_key, base64.b64encode(backup_key), base64.urlsafe_b64encode(backup_key)):
        assert form not in data
