import io

from django.core.management import call_command
from django.db import connections

from okoa.lib import crypto
from okoa.vault import keys
from okoa.vault.backups import write_backup
from okoa.vault.models import KeyCheck

INDEX = crypto.new_key_text()


def backup_sealed_with(key_text, tmp_path, sqlite_file_database, swap_keys, backup_key):
    """Back up a database whose key-check row was sealed with ``key_text``."""
    swap_keys(encryption=f"k1:{key_text}", index=INDEX)
    sqlite_file_database("sealed", tmp_path / "sealed.sqlite3")
    with connections["sealed"].schema_editor() as editor:
        editor.create_model(KeyCheck)
    ring = crypto.key_ring()
    KeyCheck.objects.using("sealed").create(
        key_id="k1",
        sealed_probe=ring.encrypt(keys.PROBE_TEXT, context=keys.PROBE_CONTEXT),
        index_probe=ring.blind_index(keys.PROBE_TEXT, scope=keys.INDEX_PROBE_SCOPE),
    )
    return write_backup(tmp_path / "sealed.okoabk", using="sealed", key=backup_key).path


def test_restoring_with_other_data_keys_warns_that_okoa_will_not_start(
    tmp_path, sqlite_file_database, swap_keys, backup_key
):
    backup = backup_sealed_with(
        crypto.new_key_text(), tmp_path, sqlite_file_database, swap_keys, backup_key
    )
    swap_keys(encryption=f"k1:{crypto.new_key_text()}", index=INDEX)
    sqlite_file_database("restored", tmp_path / "restored.sqlite3")
    errors = io.StringIO()

    call_command("restore", str(backup), database="restored", stdout=io.StringIO(), stderr=errors)

    assert "sealed with encryption key 'k1'" in errors.getvalue()
    assert "Okoa will refuse to start" in errors.getvalue()
    assert KeyCheck.objects.using("restored").count() == 1  # restored all the same


def test_restoring_with_the_same_data_keys_says_nothing_more(
    tmp_path, sqlite_file_database, swap_keys, backup_key
):
    data_key = crypto.new_key_text()
    backup = backup_sealed_with(data_key, tmp_path, sqlite_file_database, swap_keys, backup_key)
    sqlite_file_database("restored", tmp_path / "restored.sqlite3")
    errors = io.StringIO()

    call_command("restore", str(backup), database="restored", stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue() == ""
