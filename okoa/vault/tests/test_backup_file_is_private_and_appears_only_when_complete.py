import pytest

from okoa.vault import backups


def test_a_backup_file_is_readable_by_its_owner_only(small_backup):
    assert small_backup.stat().st_mode & 0o777 == 0o600


def test_a_folder_as_destination_gets_a_dated_file(small_backup, backup_key, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backups.write_backup(folder, using="small_source", key=backup_key)
    assert result.path.parent == folder
    assert result.path.name.startswith("okoa-") and result.path.suffix == ".okoabk"
    backups.verify_backup(result.path, key=backup_key)


def test_a_failed_backup_leaves_no_file_and_keeps_the_previous_one(
    small_backup, backup_key, monkeypatch, caplog
):
    previous = small_backup.read_bytes()

    def disk_full(source, destination, **options):
        destination.write(b"OKOABK1 and then the disk filled up")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "encrypt_stream", disk_full)
    with pytest.raises(OSError, match="No space left"):
        backups.write_backup(small_backup, using="small_source", key=backup_key)

    assert small_backup.read_bytes() == previous
    assert sorted(path.name for path in small_backup.parent.iterdir()) == [
        "small-source.sqlite3",
        "small.okoabk",
    ]
    assert any(record.levelname == "ERROR" for record in caplog.records)
