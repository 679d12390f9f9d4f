"""Re-encrypt personal data under a new key, or rebuild search tokens under a new index key.

Encryption key: put the new key first in OKOA_ENCRYPTION_KEYS and keep the old one after it
(``k2:NEW,k1:OLD``), restart Okoa, then run ``rotate_keys``. When it reports success, remove
the old key from the ring.

Blind-index key: set OKOA_BLIND_INDEX_KEY to the new key and OKOA_PREVIOUS_BLIND_INDEX_KEY to the
old one, restart Okoa (searches use both meanwhile), run ``rotate_keys --blind-index``, then
remove OKOA_PREVIOUS_BLIND_INDEX_KEY.

Okoa keeps serving throughout; an interrupted run is resumed by running the command again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from okoa.lib import crypto
from okoa.vault import rotation
from okoa.vault.keys import forget_verification, verify_key_ring


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the primary key (or rebuild search tokens)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--blind-index",
            action="store_true",
            help="Rebuild the search tokens under OKOA_BLIND_INDEX_KEY instead.",
        )

    def handle(self, *args: Any, batch_size: int, blind_index: bool, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        crypto.reset_key_ring()
        forget_verification()
        verify_key_ring()
        if blind_index:
            self._rotate_blind_index(batch_size)
        else:
            self._reseal(batch_size)

    def _reseal(self, batch_size: int) -> None:
        ring = crypto.key_ring()
        self.stdout.write(f"Sealing everything under key {ring.primary_key_id!r}...")
        report = rotation.reseal_all(batch_size=batch_size, progress=self.stdout.write)
        self.stdout.write(f"Examined {report.examined} values, re-sealed {report.resealed}.")
        check = rotation.verify_all()
        if check.unreadable:
            raise CommandError(
                f"{len(check.unreadable)} values do not open: {', '.join(check.unreadable[:10])}"
            )
        if check.under_other_keys:
            raise CommandError(
                "Values are still sealed under other keys (written while the command ran by a "
                f"process with the old configuration?): {check.under_other_keys}. Run it again."
            )
        retired = rotation.retire_unused_keys(check)
        self.stdout.write(
            self.style.SUCCESS(
                f"Verified {check.examined} values, all under {ring.primary_key_id!r}. "
                + (f"No longer needed: {', '.join(retired)}." if retired else "")
            )
        )

    def _rotate_blind_index(self, batch_size: int) -> None:
        ring = crypto.key_ring()
        if ring.previous_index_key is None:
            raise CommandError(
                "Set OKOA_PREVIOUS_BLIND_INDEX_KEY to the old key (and OKOA_BLIND_INDEX_KEY to the "
                "new one) so that searches keep working while the tokens are rebuilt."
            )
        count = rotation.rebuild_blind_indexes(batch_size=batch_size, progress=self.stdout.write)
        for what, rebuilt in rotation.rebuild_other_blind_indexes(batch_size=batch_size).items():
            self.stdout.write(f"Search tokens rebuilt for {rebuilt} {what}.")
        if not rotation.blind_indexes_match():
            raise CommandError("Search tokens do not match after the rebuild. Run it again.")
        rotation.record_new_index_probe()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt and verified the search tokens of {count} people. "
                "Remove OKOA_PREVIOUS_BLIND_INDEX_KEY now."
            )
        )
