"""Model fields that keep personal data encrypted at rest (see okoa/lib/crypto.py).

Values are sealed on the way into the database and opened on the way out; the database, its
backups and its logs only ever hold ciphertext. Encrypted columns cannot be filtered or ordered
on: search goes through blind indexes instead (okoa/people/models.py PersonSearchToken).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from okoa.lib import crypto


def _ensure_keys_verified() -> None:
    # Imported late: okoa.vault has models and fields are imported while models load.
    from okoa.vault.keys import ensure_key_ring_verified

    ensure_key_ring_verified()


class EncryptedMixin:
    """Seal values with the key ring, bound to ``app_label.Model.field``."""

    empty_strings_allowed = True
    context: str

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any):
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        self.context = f"{cls._meta.label}.{name}"

    def get_internal_type(self) -> str:
        return "TextField"

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        plaintext = self.to_plaintext(value)
        if plaintext == "":
            return ""
        _ensure_keys_verified()
        return crypto.key_ring().encrypt(plaintext, context=self.context)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return self.from_plaintext("")
        return self.from_plaintext(crypto.key_ring().decrypt(value, context=self.context))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull", "exact"}:
            raise FieldError(
                f"{self.context} is encrypted: filter through its blind index, not {lookup_name!r}."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A text value (a name, a narrative) encrypted at rest."""

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedDateField(EncryptedMixin, models.TextField):
    """A date (a date of birth) encrypted at rest, exposed as ``datetime.date``."""

    # Tell django-stubs what the attribute holds (it would assume str from TextField).
    _pyi_private_set_type: datetime.date | str | None  # type: ignore[assignment]
    _pyi_private_get_type: datetime.date | None  # type: ignore[assignment]

    def to_plaintext(self, value: Any) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()

    def from_plaintext(self, text: str) -> Any:
        return datetime.date.fromisoformat(text) if text else None

    def formfield(self, **kwargs: Any) -> Any:
        return models.DateField(null=self.null, blank=self.blank).formfield(**kwargs)


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A list or mapping (phone numbers, aliases) encrypted at rest as one JSON document."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text) if text else None

    def to_python(self, value: Any) -> Any:
        return value
