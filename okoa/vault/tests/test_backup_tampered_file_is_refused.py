import logging
import struct

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from okoa.vault.backups import MAGIC


def split(data: bytes) -> tuple[bytes, list[bytes]]:
    """Split a backup file into its header and its chunk records (flags, length, ciphertext)."""
    (header_length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    offset = len(MAGIC) + 4 + header_length
    header, chunks = data[:offset], []
    while offset < len(data):
        _flags, length = struct.unpack(">BI", data[offset : offset + 5])
        chunks.append(data[offset : offset + 5 + length])
        offset += 5 + length
    return header, chunks


def flip(data: bytes, position: int) -> bytes:
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def changed_date_in_header(header: bytes, chunks: list[bytes]) -> bytes:
    position = header.index(b'"created_at": "') + len(b'"created_at": "') + 3
    return flip(header, position) + b"".join(chunks)


def flipped_ciphertext_byte(header: bytes, chunks: list[bytes]) -> bytes:
    return header + chunks[0] + flip(chunks[1], 200) + b"".join(chunks[2:])


def flipped_tag_byte(header: bytes, chunks: list[bytes]) -> bytes:
    return header + b"".join(chunks[:-1]) + flip(chunks[-1], len(chunks[-1]) - 1)


def swapped_chunks(header: bytes, chunks: list[bytes]) -> bytes:
    return header + chunks[1] + chunks[0] + b"".join(chunks[2:])


def dropped_middle_chunk(header: bytes, chunks: list[bytes]) -> bytes:
    return header + chunks[0] + b"".join(chunks[2:])


def middle_chunk_marked_final(header: bytes, chunks: list[bytes]) -> bytes:
    return header + b"\x01" + chunks[0][1:]


def final_chunk_marked_not_final(header: bytes, chunks: list[bytes]) -> bytes:
    return header + b"".join(chunks[:-1]) + b"\x00" + chunks[-1][1:]


def bytes_after_the_final_chunk(header: bytes, chunks: list[bytes]) -> bytes:
    return header + b"".join(chunks) + b"\x00"


def a_chunk_repeated_in_place_of_the_last(header: bytes, chunks: list[bytes]) -> bytes:
    return header + b"".join(chunks[:-1]) + chunks[-2]


TAMPERINGS = [
    changed_date_in_header,
    flipped_ciphertext_byte,
    flipped_tag_byte,
    swapped_chunks,
    dropped_middle_chunk,
    middle_chunk_marked_final,
    final_chunk_marked_not_final,
    bytes_after_the_final_chunk,
    a_chunk_repeated_in_place_of_the_last,
]


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=[t.__name__ for t in TAMPERINGS])
def test_a_tampered_backup_is_refused_logged_and_changes_nothing(
    tamper, small_backup, restore_target, tmp_path, caplog
):
    header, chunks = split(small_backup.read_bytes())
    assert len(chunks) > 3
    tampered = tmp_path / "tampered.okoabk"
    tampered.write_bytes(tamper(header, chunks))
    before = restore_target.read_bytes()

    with (
        caplog.at_level(logging.WARNING, logger="okoa.vault"),
        pytest.raises(CommandError, match="damaged or was tampered with"),
    ):
        call_command("restore", str(tampered), database="target")

    assert restore_target.read_bytes() == before
    assert sorted(path.name for path in restore_target.parent.iterdir()) == ["target.sqlite3"]
    assert [record.getMessage() for record in caplog.records if record.name == "okoa.vault"] == [
        f"Restore of {tampered} into database 'target' refused: tampered"
    ]


def test_a_file_that_is_not_a_backup_is_refused(restore_target, tmp_path, backup_key):
    other = tmp_path / "notes.txt"
    other.write_text("Not a backup at all, just a longer text file.")
    with pytest.raises(CommandError, match="not an Okoa backup"):
        call_command("restore", str(other), database="target")
