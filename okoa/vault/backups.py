"""Write and restore encrypted backups of the whole database.

Contract: ``write_backup`` takes a consistent snapshot while Okoa keeps running (SQLite's online
backup API; ``pg_dump`` on PostgreSQL), seals it chunk by chunk with AES-256-GCM under a key
derived from ``OKOA_BACKUP_KEY``, and only renames the file into place once it is complete.
``restore_backup`` decrypts and checks the whole file *before* it touches the database: a
truncated, reordered, tampered or foreign file is refused with a ``BackupError``, logged to
``okoa.vault`` (file name and reason, never data), and leaves the database as it was.

The backup key is a second layer: personal fields inside the database stay sealed with the key
ring (``okoa/lib/crypto.py``), so a restored database also needs the same
``OKOA_ENCRYPTION_KEYS`` and ``OKOA_BLIND_INDEX_KEY``.

File format (version 1)::

    b"OKOABK1" | header length (u32, big endian) | header (UTF-8 JSON)
    then chunks: flags (u8, 1 = final) | ciphertext length (u32) | AES-256-GCM ciphertext

The header names the format version, database vendor, creation time, backup key fingerprint,
chunk size, a random salt (the file key is HKDF-SHA256 of the backup key and the salt) and a
random nonce prefix. A chunk's nonce is the prefix and the chunk's index; its associated data is
the whole header, the index and the final flag. So a changed byte, a changed header, chunks in
another order, a file cut short (no final chunk) and bytes after the final chunk all fail.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import json
import logging
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from okoa.lib import crypto

logger = logging.getLogger("okoa.vault")

MAGIC = b"OKOABK1"
FORMAT_VERSION = 1
CHUNK_BYTES = 1024 * 1024
SUFFIX = ".okoabk"
DEV_KEY_FILE_NAME = "dev-backup-key"
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

_TAG_BYTES = 16
_SALT_BYTES = 16
_NONCE_PREFIX_BYTES = 8
_MAX_CHUNKS = 2**32  # the chunk index fills the last 4 bytes of the 12-byte nonce
_MAX_HEADER_BYTES = 64 * 1024
_FINAL = 1
_HEADER_LENGTH = struct.Struct(">I")
_CHUNK_PREFIX = struct.Struct(">BI")
_FILE_KEY_INFO = b"okoa-backup-file-key-v1"
# Child processes (pg_dump, pg_restore) get these variables and the PG* ones, never Okoa's keys.
_CHILD_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_MESSAGES", "TZ", "TMPDIR")


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, ``reason`` names the case."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class BackupHeader:
    """The clear header of a backup file; ``raw`` is its exact bytes (authenticated)."""

    format_version: int
    vendor: str
    created_at: str
    key_fingerprint: str
    chunk_bytes: int
    salt: bytes
    nonce_prefix: bytes
    raw: bytes = field(repr=False)

    @classmethod
    def new(cls, *, vendor: str, key: bytes, chunk_bytes: int) -> BackupHeader:
        """Make the header of a new backup, with a fresh salt and nonce prefix."""
        values = {
            "format_version": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "key_fingerprint": crypto.fingerprint(key),
            "chunk_bytes": chunk_bytes,
            "salt": _b64(secrets.token_bytes(_SALT_BYTES)),
            "nonce_prefix": _b64(secrets.token_bytes(_NONCE_PREFIX_BYTES)),
        }
        body = json.dumps(values, sort_keys=True).encode("utf-8")
        return cls.parse(MAGIC + _HEADER_LENGTH.pack(len(body)) + body)

    @classmethod
    def parse(cls, raw: bytes) -> BackupHeader:
        """Read the header fields from its bytes; refuse anything malformed."""
        try:
            values = json.loads(raw[len(MAGIC) + _HEADER_LENGTH.size :].decode("utf-8"))
            version = values["format_version"]
            if version != FORMAT_VERSION:
                raise BackupError(
                    _(
                        "This backup has format version %(version)s; this release of Okoa reads "
                        "version %(supported)s. Restore it with the release that wrote it."
                    )
                    % {"version": version, "supported": FORMAT_VERSION},
                    reason="unsupported-version",
                )
            header = cls(
                format_version=version,
                vendor=str(values["vendor"]),
                created_at=str(values["created_at"]),
                key_fingerprint=str(values["key_fingerprint"]),
                chunk_bytes=int(values["chunk_bytes"]),
                salt=base64.b64decode(values["salt"], validate=True),
                nonce_prefix=base64.b64decode(values["nonce_prefix"], validate=True),
                raw=raw,
            )
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
            raise _damaged(_("its header is unreadable")) from error
        if (
            len(header.salt) != _SALT_BYTES
            or len(header.nonce_prefix) != _NONCE_PREFIX_BYTES
            or not 0 < header.chunk_bytes <= 64 * CHUNK_BYTES
        ):
            raise _damaged(_("its header is unreadable"))
        return header

    def cipher(self, key: bytes) -> AESGCM:
        """Return the AES-GCM cipher of this file: HKDF of the backup key and the file's salt."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=self.salt, info=_FILE_KEY_INFO)
        return AESGCM(hkdf.derive(key))

    def nonce(self, index: int) -> bytes:
        """Return the nonce of chunk ``index``: never reused under one file key."""
        return self.nonce_prefix + index.to_bytes(4, "big")

    def associated_data(self, index: int, final: bool) -> bytes:
        """Bind a chunk to this header, to its place in the file and to being last or not."""
        return self.raw + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


@dataclass(frozen=True)
class BackupResult:
    """What ``write_backup`` wrote."""

    path: Path
    size: int
    header: BackupHeader


@dataclass(frozen=True)
class RestoreResult:
    """What ``restore_backup`` restored, and problems the operator must fix before starting."""

    header: BackupHeader
    warnings: list[str]


# Keys ----------------------------------------------------------------------------------------


def backup_key() -> bytes:
    """Return the backup key from settings; in development, create one under var/ once."""
    text = settings.OKOA_BACKUP_KEY
    if not text:
        if settings.PRODUCTION:
            raise BackupError(
                _(
                    "OKOA_BACKUP_KEY (or OKOA_BACKUP_KEY_FILE) is required in production: it "
                    "seals the backups. Make a key as for OKOA_ENCRYPTION_KEYS (base64, 32 bytes) "
                    "and keep a copy apart from the backups and from the data keys."
                ),
                reason="no-key",
            )
        text = _development_backup_key(
            Path(settings.OKOA_DEV_KEY_FILE).with_name(DEV_KEY_FILE_NAME)
        )
    try:
        # The shared decoder accepts the same alphabets as the data keys and refuses the rest.
        key = crypto._decode_key("OKOA_BACKUP_KEY", text)
    except ImproperlyConfigured as error:
        raise BackupError(str(error), reason="bad-key") from error
    if len(key) != crypto.KEY_BYTES:
        raise BackupError(
            _("OKOA_BACKUP_KEY must be %(bytes)s bytes (base64 encoded).")
            % {"bytes": crypto.KEY_BYTES},
            reason="bad-key",
        )
    if settings.PRODUCTION and _is_a_data_key(key):
        raise BackupError(
            _(
                "OKOA_BACKUP_KEY is one of the data keys. Use a separate key: a backup must not "
                "be readable by whoever holds the data keys alone."
            ),
            reason="bad-key",
        )
    return key


def _development_backup_key(path: Path) -> str:
    """Load, or create once, the development backup key (never used in production)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Exclusive create with mode 0600 from the start: two processes must not make two keys.
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(crypto.new_key_text())
    return path.read_text().strip()


def _is_a_data_key(key: bytes) -> bool:
    try:
        ring = crypto.key_ring()
    except ImproperlyConfigured:
        return False
    return key in ring.keys.values() or key == ring.index_key


# Encryption ----------------------------------------------------------------------------------


def encrypt_stream(
    source: IO[bytes],
    destination: IO[bytes],
    *,
    key: bytes,
    vendor: str,
    chunk_bytes: int = CHUNK_BYTES,
) -> BackupHeader:
    """Seal everything ``source`` yields into ``destination``, one chunk in memory at a time."""
    header = BackupHeader.new(vendor=vendor, key=key, chunk_bytes=chunk_bytes)
    cipher = header.cipher(key)
    destination.write(header.raw)
    index = 0
    current = _read_up_to(source, chunk_bytes)
    while True:
        # Read one chunk ahead: the last chunk must carry the final flag, even when it is empty.
        following = _read_up_to(source, chunk_bytes) if len(current) == chunk_bytes else b""
        final = not following
        if index >= _MAX_CHUNKS:
            raise BackupError(_("The database is too large for one backup file."), reason="size")
        sealed = cipher.encrypt(header.nonce(index), current, header.associated_data(index, final))
        destination.write(_CHUNK_PREFIX.pack(_FINAL if final else 0, len(sealed)))
        destination.write(sealed)
        if final:
            return header
        index, current = index + 1, following


def read_header(source: IO[bytes]) -> BackupHeader:
    """Read and check the header at the start of ``source``."""
    magic = source.read(len(MAGIC))
    if magic != MAGIC:
        if len(magic) < len(MAGIC) and MAGIC.startswith(magic):
            raise _truncated(0)  # an empty file too: a copy that stopped at its first byte
        raise BackupError(
            _("This file is not an Okoa backup (it does not start with OKOABK1)."),
            reason="not-a-backup",
        )
    length_bytes = source.read(_HEADER_LENGTH.size)
    if len(length_bytes) < _HEADER_LENGTH.size:
        raise _truncated(0)
    (length,) = _HEADER_LENGTH.unpack(length_bytes)
    if length > _MAX_HEADER_BYTES:
        raise _damaged(_("its header is unreadable"))
    body = source.read(length)
    if len(body) < length:
        raise _truncated(0)
    return BackupHeader.parse(magic + length_bytes + body)


def decrypt_stream(source: IO[bytes], destination: IO[bytes], *, key: bytes) -> BackupHeader:
    """Open every chunk of ``source`` into ``destination``; refuse a file that is not whole.

    ``destination`` receives unverified data until this returns: callers write it to a
    scratch file and use it only after a normal return.
    """
    header = read_header(source)
    if header.key_fingerprint != crypto.fingerprint(key):
        raise BackupError(
            _(
                "This backup was sealed with a different backup key (fingerprint %(file)s); "
                "OKOA_BACKUP_KEY has fingerprint %(configured)s. Configure the key that made it."
            )
            % {"file": header.key_fingerprint, "configured": crypto.fingerprint(key)},
            reason="wrong-key",
        )
    cipher = header.cipher(key)
    index = 0
    while True:
        prefix = source.read(_CHUNK_PREFIX.size)
        if len(prefix) < _CHUNK_PREFIX.size:
            raise _truncated(index)
        flags, length = _CHUNK_PREFIX.unpack(prefix)
        if flags not in (0, _FINAL) or not _TAG_BYTES <= length <= header.chunk_bytes + _TAG_BYTES:
            raise _damaged(_("chunk %(index)s is malformed") % {"index": index})
        sealed = source.read(length)
        if len(sealed) < length:
            raise _truncated(index)
        final = flags == _FINAL
        try:
            plain = cipher.decrypt(
                header.nonce(index), sealed, header.associated_data(index, final)
            )
        except InvalidTag as error:
            raise _damaged(
                _("chunk %(index)s does not decrypt (changed bytes or chunks out of order)")
                % {"index": index}
            ) from error
        destination.write(plain)
        index += 1
        if final:
            if source.read(1):
                raise _damaged(_("there are bytes after its final chunk"))
            return header


def verify_backup(path: Path, *, key: bytes | None = None) -> BackupHeader:
    """Check that the backup at ``path`` is whole and opens with the backup key."""
    with path.open("rb") as source, open(os.devnull, "wb") as sink:
        return decrypt_stream(source, sink, key=key or backup_key())


def _read_up_to(source: IO[bytes], size: int) -> bytes:
    # A pipe (pg_dump's output) can return less than asked for before its end.
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _truncated(chunks: int) -> BackupError:
    return BackupError(
        _(
            "The backup file is truncated: it ends after %(chunks)s complete chunks, before its "
            "final chunk. It was cut short while being written or copied. Nothing was restored; "
            "use another copy."
        )
        % {"chunks": chunks},
        reason="truncated",
    )


def _damaged(detail: str) -> BackupError:
    return BackupError(
        _(
            "The backup file is damaged or was tampered with: %(detail)s. Nothing was "
            "restored; use another copy."
        )
        % {"detail": detail},
        reason="tampered",
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# Backup --------------------------------------------------------------------------------------


def write_backup(
    destination: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    key: bytes | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> BackupResult:
    """Write an encrypted backup of database ``using`` to ``destination`` (a file or folder).

    The file appears only when complete (written under a temporary name in the same folder,
    then renamed), with mode 0600; an existing file of the same name is replaced only then.
    """
    key = key or backup_key()
    connection = connections[using]
    vendor = _supported_vendor(connection)
    if destination.is_dir():
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        destination = destination / f"okoa-{stamp}{SUFFIX}"
    descriptor, temporary_name = tempfile.mkstemp(
        prefix=".okoa-backup-", suffix=".partial", dir=destination.parent
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(descriptor, "wb") as output:
            with _database_snapshot(connection) as snapshot:
                header = encrypt_stream(
                    snapshot, output, key=key, vendor=vendor, chunk_bytes=chunk_bytes
                )
            output.flush()
            os.fsync(output.fileno())
        os.replace(temporary, destination)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        logger.error("Backup of database %r failed: %s", using, getattr(error, "reason", error))
        raise
    _sync_folder(destination.parent)
    size = destination.stat().st_size
    logger.info(
        "Backup written: %s (%s, %d bytes, backup key %s)",
        destination,
        vendor,
        size,
        header.key_fingerprint,
    )
    return BackupResult(path=destination, size=size, header=header)


@contextlib.contextmanager
def _database_snapshot(connection: BaseDatabaseWrapper) -> Iterator[IO[bytes]]:
    """Yield a stream of a consistent snapshot of the database."""
    if connection.vendor == "sqlite":
        with _sqlite_snapshot(connection) as stream:
            yield stream
    else:
        with _pg_dump(connection) as stream:
            yield stream


@contextlib.contextmanager
def _sqlite_snapshot(connection: BaseDatabaseWrapper) -> Iterator[IO[bytes]]:
    path = _sqlite_path(connection)
    if not path.exists():
        raise BackupError(
            _("The database file %(path)s does not exist.") % {"path": path}, reason="no-database"
        )
    # The snapshot sits next to the live database: same disk, same people allowed to read it.
    descriptor, snapshot_name = tempfile.mkstemp(
        prefix=".okoa-snapshot-", suffix=".sqlite3", dir=path.parent
    )
    os.close(descriptor)
    snapshot = Path(snapshot_name)
    try:
        # The online backup API copies in one step inside one read transaction: a consistent
        # snapshot, and in WAL mode Okoa's writers carry on meanwhile.
        with (
            contextlib.closing(sqlite3.connect(path, timeout=20)) as live,
            contextlib.closing(sqlite3.connect(snapshot)) as copy,
        ):
            live.backup(copy)
        with snapshot.open("rb") as stream:
            yield stream
    finally:
        _remove_sqlite_files(snapshot)


@contextlib.contextmanager
def _pg_dump(connection: BaseDatabaseWrapper) -> Iterator[IO[bytes]]:
    program = postgresql_program("pg_dump")
    arguments = [program, "--format=custom", "--no-password", *_pg_database(connection)]
    with tempfile.TemporaryFile() as errors:
        # pg_dump's snapshot is one repeatable-read transaction: consistent while Okoa writes.
        process = subprocess.Popen(  # noqa: S603 (our arguments, no shell)
            arguments, stdout=subprocess.PIPE, stderr=errors, env=_pg_environment(connection)
        )
        assert process.stdout is not None
        try:
            yield process.stdout
        except BaseException:
            process.kill()
            raise
        finally:
            process.stdout.close()
            returncode = process.wait()
        if returncode != 0:
            raise BackupError(
                _("pg_dump failed (exit status %(status)s): %(errors)s")
                % {"status": returncode, "errors": _tail(errors)},
                reason="pg_dump",
            )


# Restore -------------------------------------------------------------------------------------


def restore_backup(
    source: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    check_only: bool = False,
    key: bytes | None = None,
) -> RestoreResult:
    """Restore the backup at ``source`` into database ``using``, which must be empty.

    Nothing in the database changes unless the whole file decrypts and checks out. ``force``
    restores over a database that already holds organisations (their data is replaced);
    ``check_only`` does every check and restores nothing.
    """
    try:
        return _restore(source, using=using, force=force, check_only=check_only, key=key)
    except BackupError as error:
        logger.warning("Restore of %s into database %r refused: %s", source, using, error.reason)
        raise


def _restore(
    source: Path, *, using: str, force: bool, check_only: bool, key: bytes | None
) -> RestoreResult:
    key = key or backup_key()
    connection = connections[using]
    vendor = _supported_vendor(connection)
    if not source.is_file():
        raise BackupError(
            _("There is no backup file at %(path)s.") % {"path": source}, reason="no-file"
        )
    with _scratch_file(connection) as plain:
        with source.open("rb") as encrypted, plain.open("wb") as output:
            header = decrypt_stream(encrypted, output, key=key)
        if header.vendor != vendor:
            raise BackupError(
                _(
                    "This is a backup of a %(backup)s database; database %(alias)r is "
                    "%(target)s. Restore it into a %(backup)s database."
                )
                % {
                    "backup": VENDOR_NAMES.get(header.vendor, header.vendor),
                    "alias": using,
                    "target": VENDOR_NAMES[vendor],
                },
                reason="wrong-vendor",
            )
        if vendor == "sqlite":
            _check_sqlite_file(plain)
        else:
            _check_pg_archive(plain)
        if check_only:
            logger.info("Backup %s checked: whole, made %s", source, header.created_at)
            return RestoreResult(header=header, warnings=[])
        if vendor == "sqlite":
            _create_private_file(_sqlite_path(connection))
        if not force and _holds_organisations(connection):
            raise BackupError(
                _(
                    "Database %(alias)r already holds organisations. Restore into an empty "
                    "database, or pass --force to replace its contents."
                )
                % {"alias": using},
                reason="not-empty",
            )
        connection.close()
        if vendor == "sqlite":
            _restore_sqlite(plain, _sqlite_path(connection))
        else:
            _restore_pg(plain, connection)
    logger.info(
        "Backup %s (%s, made %s) restored into database %r",
        source,
        header.vendor,
        header.created_at,
        using,
    )
    return RestoreResult(header=header, warnings=data_key_problems(using))


@contextlib.contextmanager
def _scratch_file(connection: BaseDatabaseWrapper) -> Iterator[Path]:
    """Yield a private temporary path for the decrypted backup; remove it afterwards."""
    folder: Path | None = None
    if connection.vendor == "sqlite":
        folder = _sqlite_path(connection).parent
        folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=".okoa-restore-", dir=folder)
    os.close(descriptor)
    path = Path(name)
    try:
        yield path
    finally:
        _remove_sqlite_files(path)


def _check_sqlite_file(path: Path) -> None:
    # The file decrypted, so these are the bytes the backup read; this catches a live database
    # that was already corrupt. CHECK constraints call Django's SQL functions (REGEXP), which a
    # plain connection lacks: the structure is what matters here.
    try:
        with contextlib.closing(sqlite3.connect(path)) as database:
            database.execute("PRAGMA ignore_check_constraints = ON")
            result = "\n".join(row[0] for row in database.execute("PRAGMA quick_check"))
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise BackupError(
            _(
                "The database inside the backup fails SQLite's integrity check (%(result)s): "
                "the database was already damaged when it was backed up. Use another backup."
            )
            % {"result": result[:500]},
            reason="unsound-database",
        )


def _restore_sqlite(plain: Path, target: Path) -> None:
    # The backup API replaces the target's pages in one transaction: all or nothing.
    try:
        with (
            contextlib.closing(sqlite3.connect(plain)) as backup,
            contextlib.closing(sqlite3.connect(target, timeout=20)) as database,
        ):
            backup.backup(database)
    except sqlite3.Error as error:
        raise BackupError(
            _(
                "The restore into %(path)s failed and was rolled back; the database is "
                "unchanged: %(error)s. Is Okoa still running?"
            )
            % {"path": target, "error": error},
            reason="restore-failed",
        ) from error


def _check_pg_archive(path: Path) -> None:
    with tempfile.TemporaryFile() as errors:
        status = subprocess.call(  # noqa: S603 (our arguments, no shell)
            [postgresql_program("pg_restore"), "--list", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=_child_environment(),
        )
        if status != 0:
            raise BackupError(
                _("pg_restore cannot read the archive inside the backup: %(errors)s")
                % {"errors": _tail(errors)},
                reason="pg_restore",
            )


def _restore_pg(plain: Path, connection: BaseDatabaseWrapper) -> None:
    arguments = [
        postgresql_program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        # One transaction: if anything fails, the database is left as it was.
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        *_pg_database(connection),
        str(plain),
    ]
    with tempfile.TemporaryFile() as errors:
        status = subprocess.call(  # noqa: S603 (our arguments, no shell)
            arguments,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=_pg_environment(connection),
        )
        if status != 0:
            raise BackupError(
                _(
                    "pg_restore failed (exit status %(status)s) and rolled back; the database "
                    "is unchanged: %(errors)s"
                )
                % {"status": status, "errors": _tail(errors)},
                reason="pg_restore",
            )


def _holds_organisations(connection: BaseDatabaseWrapper) -> bool:
    table = apps.get_model("accounts", "Organisation")._meta.db_table
    try:
        with connection.cursor() as cursor:
            if table not in connection.introspection.table_names(cursor):
                return False
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            return cursor.fetchone() is not None
    except DatabaseError as error:
        raise BackupError(
            _("Database %(alias)r cannot be read, so nothing was restored: %(error)s")
            % {"alias": connection.alias, "error": error},
            reason="target-unreadable",
        ) from error


def data_key_problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Say which configured data keys do not open the database ``using`` (read only)."""
    from okoa.vault import keys
    from okoa.vault.models import KeyCheck

    keys.forget_verification()
    try:
        ring = crypto.key_ring()
        checks = list(KeyCheck.objects.using(using).filter(retired_at__isnull=True))
    except ImproperlyConfigured as error:
        return [str(error)]
    except DatabaseError:
        return []  # no key-check table: a database from before it existed
    problems: list[str] = []
    index_probe = ring.blind_index(keys.PROBE_TEXT, scope=keys.INDEX_PROBE_SCOPE)
    for check in checks:
        try:
            ring.decrypt(check.sealed_probe, context=keys.PROBE_CONTEXT)
        except crypto.DecryptionError:
            problems.append(
                _(
                    "The restored data is sealed with encryption key %(key)r, which "
                    "OKOA_ENCRYPTION_KEYS does not hold or holds with another value."
                )
                % {"key": check.key_id}
            )
        if check.index_probe != index_probe:
            problems.append(
                _("OKOA_BLIND_INDEX_KEY is not the blind-index key of the restored data.")
            )
    return sorted(set(problems))


# Databases and programs ----------------------------------------------------------------------


def _supported_vendor(connection: BaseDatabaseWrapper) -> str:
    vendor = connection.vendor
    if vendor not in VENDOR_NAMES:
        raise BackupError(
            _("Okoa backs up SQLite and PostgreSQL databases, not %(vendor)s.")
            % {"vendor": vendor},
            reason="unsupported-database",
        )
    if vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        raise BackupError(
            _("An in-memory SQLite database cannot be backed up or restored."),
            reason="unsupported-database",
        )
    return vendor


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    return Path(connection.settings_dict["NAME"]).resolve()


def _create_private_file(path: Path) -> None:
    # A new database file is readable by its owner only (the umask may be laxer).
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _remove_sqlite_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def postgresql_program(name: str) -> str:
    """Find a PostgreSQL client program on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if candidates:
        return max(candidates, key=_postgresql_version)
    raise BackupError(
        _(
            "%(program)s was not found on PATH or under /usr/lib/postgresql/*/bin/. Install "
            "the PostgreSQL client programs (Debian: postgresql-client), of the server's "
            "version or newer."
        )
        % {"program": name},
        reason="no-program",
    )


def _postgresql_version(program: str) -> tuple[int, ...]:
    version = Path(program).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _pg_database(connection: BaseDatabaseWrapper) -> list[str]:
    name = connection.settings_dict.get("NAME")
    return [f"--dbname={name}"] if name else []


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Connection settings for the child: the password in PGPASSWORD, never on the command line."""
    settings_dict = connection.settings_dict
    _arguments, extra = connection.client.settings_to_cmd_args_env(settings_dict, [])
    environment = _child_environment()
    environment.update(extra or {})
    for name, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(name):
            environment[variable] = str(settings_dict[name])
    return environment


def _child_environment() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if name in _CHILD_ENVIRONMENT or name.startswith("PG")
    }


def _tail(errors: IO[bytes], limit: int = 2000) -> str:
    errors.seek(0)
    text = errors.read().decode("utf-8", "replace").strip()
    return text[-limit:] or _("no message")


def _sync_folder(folder: Path) -> None:
    # Make the rename itself durable; some file systems do not allow fsync on folders.
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
