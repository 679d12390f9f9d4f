import logging
import struct

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from okoa.vault.backups import MAGIC


def chunk_ends(data: bytes) -> list[int]:
    """Return the offset where the header and then each chunk ends."""
    (header_length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    offset = len(MAGIC) + 4 + header_length
    ends = [offset]
    while offset < len(data):
        _flags, length = struct.unpack(">BI", data[offset : offset + 5])
        offset += 5 + length
        ends.append(offset)
    return ends


CUTS = {
    "an empty file": lambda data, ends: 0,
    "inside the magic": lambda data, ends: 3,
    "inside the header": lambda data, ends: ends[0] - 10,
    "after the header": lambda data, ends: ends[0],
    "inside a chunk": lambda data, ends: ends[1] + 100,
    "inside a chunk's length": lambda data, ends: ends[1] + 2,
    "before the final chunk": lambda data, ends: ends[-2],
    "one byte short": lambda data, ends: len(data) - 1,
}


@pytest.mark.parametrize("cut", CUTS, ids=list(CUTS))
def test_a_truncated_backup_is_refused_logged_and_changes_nothing(
    cut, small_backup, restore_target, tmp_path, caplog
):
    data = small_backup.read_bytes()
    ends = chunk_ends(data)
    assert len(ends) > 3  # several chunks, so "before the final chunk" is a real boundary
    truncated = tmp_path / "truncated.okoabk"
    truncated.write_bytes(data[: CUTS[cut](data, ends)])
    before = restore_target.read_bytes()

    with (
        caplog.at_level(logging.WARNING, logger="okoa.vault"),
        pytest.raises(CommandError, match="The backup file is truncated"),
    ):
        call_command("restore", str(truncated), database="target")

    assert restore_target.read_bytes() == before
    assert sorted(path.name for path in restore_target.parent.iterdir()) == ["target.sqlite3"]
    [record] = [record for record in caplog.records if record.name == "okoa.vault"]
    assert record.levelno == logging.WARNING
    assert "truncated" in record.getMessage()


def test_the_same_backup_uncut_restores(small_backup, restore_target, rows_of):
    call_command("restore", str(small_backup), database="target")
    assert len(rows_of("target")["entry"]) == 200
    assert "marker" not in rows_of("target")
