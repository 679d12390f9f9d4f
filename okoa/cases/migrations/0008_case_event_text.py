"""Move the words of a case's timeline out of the plain ``data`` column into encrypted ``text``.

A status change kept the caseworker's reason in ``CaseEvent.data["reason"]``, a plain JSON
column, and that free text may name people. The events gain ``text``, an encrypted column, and
every reason that is somebody's words moves there, sealed through the field (bound to
``cases.CaseEvent.text``, as the live code does), and leaves ``data``. The kinds whose reason
is a category (why a shelter stay ended, why a referral was declined: codes that statistics
count, checked against their choices when written) keep it in ``data``. An event whose reason
has moved no longer has one in ``data``, so the conversion may run again. On SQLite
``secure_delete`` is on for the whole migration (``okoa.lib.sealing``), so the pages freed by
the table rebuild and the updates are zeroed rather than left holding the old words.

Reversible: going back opens each text and writes it into ``data["reason"]`` again (an
operator's explicit choice when rolling a release back).
"""

from django.db import migrations

import okoa.lib.fields
from okoa.lib import sealing

# Frozen for this migration: the kinds whose ``data["reason"]`` is a category, and the kind
# whose ``data`` always had a ``reason`` (empty when none was given).
CATEGORY_KINDS = ("shelter_check_out", "referral_updated")
STATUS_CHANGED = "status_changed"
BATCH_SIZE = 500


def _batches(rows, *fields):
    """Yield ``rows`` (a query) as lists of ``fields`` values, ordered by primary key."""
    last = None
    while True:
        page = rows if last is None else rows.filter(pk__gt=last)
        batch = list(page.order_by("pk").values_list("pk", *fields)[:BATCH_SIZE])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def move_reasons_into_text(apps, schema_editor):
    """Seal every reason that is somebody's words into ``text`` and take it out of ``data``.

    Each update is a compare-and-swap on the ``data`` read.
    """
    events = apps.get_model("cases", "CaseEvent").objects.using(schema_editor.connection.alias)
    words = events.exclude(kind__in=CATEGORY_KINDS).filter(data__has_key="reason")
    for batch in _batches(words, "data"):
        for pk, data in batch:
            rest = {key: value for key, value in data.items() if key != "reason"}
            reason = data["reason"]
            events.filter(pk=pk, data=data).update(
                text="" if reason is None else str(reason), data=rest
            )
    # The compare-and-swap compares JSON as text on SQLite: a row written otherwise than by
    # Django (other spacing) never matches. Those few are moved by primary key alone; then no
    # reason in words may be left in the plain column.
    for pk, data in list(words.values_list("pk", "data")):
        rest = {key: value for key, value in data.items() if key != "reason"}
        reason = data["reason"]
        events.filter(pk=pk).update(text="" if reason is None else str(reason), data=rest)
    if (left := words.count()) != 0:
        raise RuntimeError(f"{left} timeline entries still hold a reason in plain text.")


def move_text_back_into_reasons(apps, schema_editor):
    """Write every ``text`` back into ``data["reason"]`` as plaintext (going back); a status
    change without words gets its empty ``reason`` back.

    An event whose ``text`` is empty and whose ``data`` has a reason is left alone (it was moved
    back already), so going back may run again. Each update is a compare-and-swap on the
    ``data`` read.
    """
    events = apps.get_model("cases", "CaseEvent").objects.using(schema_editor.connection.alias)
    worded = events.exclude(text="") | events.filter(kind=STATUS_CHANGED)
    for batch in _batches(worded, "data", "text"):
        for pk, data, text in batch:
            if not text and "reason" in data:
                continue
            events.filter(pk=pk, data=data).update(data={**data, "reason": text}, text="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_more_event_kinds"),
        # Sealing a value checks the key ring against vault.KeyCheck first.
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(sealing.zero_freed_pages, sealing.restore_freed_pages, elidable=False),
        migrations.AddField(
            model_name="caseevent",
            name="text",
            field=okoa.lib.fields.EncryptedTextField(
                blank=True, default="", verbose_name="free text"
            ),
        ),
        migrations.RunPython(move_reasons_into_text, move_text_back_into_reasons, elidable=False),
        migrations.RunPython(sealing.restore_freed_pages, sealing.zero_freed_pages, elidable=False),
    ]
