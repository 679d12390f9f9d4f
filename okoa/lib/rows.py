"""Insert model instances with one plain statement, built once per model.

For the few writes that run on every request of an intake surge (a report, its search tokens,
its timeline entry, its change record), building the INSERT through the ORM's compiler cost more
CPU than the database took to run it. ``insert`` writes the same row the ORM would: every local
concrete field, each value prepared by its own field (``pre_save`` and ``get_db_prep_save``, so
encrypted fields are sealed and defaults applied exactly as by ``Model.save``), the new primary
key read back, and the instance marked saved. The statement text is derived from the model's
fields, so a new column is written like any other.

What ``Model.save`` does beyond that is kept too: ``pre_save``/``post_save`` signals are sent when
anything listens. Models with database-side defaults or generated columns, and instances that
already have a primary key, are handed to the ORM instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, signals
from django.db.models.expressions import BaseExpression
from django.db.models.fields import NOT_PROVIDED


@cache
def _insert_plan(
    model: type[Model], vendor: str
) -> tuple[tuple[Field, ...], tuple[str, ...], str, str] | None:
    """The fields written, the table and the primary key's column; None: leave it to the ORM."""
    del vendor  # part of the cache key: quoting and RETURNING differ between databases
    meta = model._meta
    fields: list[Field] = []
    for field in meta.local_concrete_fields:
        if getattr(field, "generated", False) or field.db_default is not NOT_PROVIDED:
            return None
        if field.primary_key and getattr(field, "db_returning", False):
            continue  # the database numbers the row
        fields.append(field)
    if meta.pk is None or meta.pk.column is None or not getattr(meta.pk, "db_returning", False):
        return None
    columns = tuple(field.column for field in fields if field.column is not None)
    if len(columns) != len(fields):
        return None
    return tuple(fields), columns, meta.db_table, meta.pk.column


# PostgreSQL's protocol carries at most 65,535 parameters a statement; Django's bulk_batch_size
# leaves the limit to the caller there.
MAX_PARAMETERS = 65_535


def rows_per_statement(model: type[Model], alias: str) -> int:
    """How many rows of ``model`` one INSERT may carry on the database ``alias``."""
    connection = connections[alias]
    plan = _insert_plan(model, connection.vendor)
    fields = list(plan[0]) if plan else list(model._meta.local_concrete_fields)
    by_database = connection.ops.bulk_batch_size(fields, range(MAX_PARAMETERS))
    return max(1, min(by_database, MAX_PARAMETERS // max(1, len(fields))))


def insert(instances: Sequence[Model]) -> None:
    """Insert new instances of one model; set their primary keys.

    One statement, or one for each batch the database's limit on parameters allows
    (``rows_per_statement``: Django's own ``bulk_batch_size``, as for ``bulk_create``, and
    PostgreSQL's protocol limit).
    """
    if not instances:
        return
    model = type(instances[0])
    alias = router.db_for_write(model, instance=instances[0])
    connection = connections[alias]
    plan = _insert_plan(model, connection.vendor)
    listened = signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)
    if (
        plan is None
        or listened
        or any(instance.pk is not None or type(instance) is not model for instance in instances)
        or not connection.features.can_return_rows_from_bulk_insert
    ):
        for instance in instances:
            instance.save(force_insert=True, using=alias)
        return
    fields, columns, table, pk_column = plan
    size = rows_per_statement(model, alias)
    if len(instances) > size:
        for start in range(0, len(instances), size):
            insert(instances[start : start + size])
        return
    quote = connection.ops.quote_name
    rows: list[Any] = []
    for instance in instances:
        for field in fields:
            value = field.pre_save(instance, add=True)
            if isinstance(value, BaseExpression):
                raise TypeError(f"{model.__name__}.{field.name}: an expression cannot be inserted")
            rows.append(field.get_db_prep_save(value, connection))
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES {', '.join([placeholders] * len(instances))} RETURNING {quote(pk_column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, rows)
        keys = [row[0] for row in cursor.fetchall()]
    if len(keys) != len(instances):
        raise RuntimeError(f"{model.__name__}: {len(instances)} rows inserted, {len(keys)} keys")
    # RETURNING gives the rows in the order of VALUES on SQLite and PostgreSQL (one statement,
    # no triggers), as Django's own bulk_create relies on.
    for instance, key in zip(instances, keys, strict=True):
        instance.pk = key
        instance._state.adding = False
        instance._state.db = alias
