"""``okoa.lib.rows.insert`` writes the row ``Model.save`` would, in one plain statement.

Used for the writes of every intake report (the report, its search tokens, its timeline entry,
the change record): the row read back must equal one saved through the ORM, encrypted fields
sealed (no plaintext in the table), defaults applied, keys set.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

from okoa.audit.models import ChangeRecord
from okoa.intake.models import Channel, Report, ReportEvent
from okoa.lib import rows

pytestmark = pytest.mark.django_db


def report(cast, external_id: str) -> Report:
    return Report(
        organisation=cast.ngo,
        reference=f"~{external_id}",
        channel=Channel.WEB,
        external_id=external_id,
        reporter_name="Achieng Otieno",
        reporter_phone="+254 700 111 222",
        narrative="Held in a compound; passports taken.",
        subject_names=["Baraka Kiprono", "Zawadi Njeri"],
        immediate_danger=True,
        urgency=Report.Urgency.IMMEDIATE,
    )


FIELDS = [
    field.attname for field in Report._meta.concrete_fields if field.attname not in {"id", "code"}
]


def test_the_row_read_back_equals_one_saved_by_the_orm(cast):
    by_orm = report(cast, "orm-1")
    by_orm.save()
    plain = report(cast, "plain-1")
    plain.received_at = by_orm.received_at
    plain.updated_at = by_orm.updated_at

    with CaptureQueriesContext(connection) as queries:
        rows.insert([plain])

    assert len(queries.captured_queries) == 1
    assert plain.pk is not None and plain.pk != by_orm.pk
    assert not plain._state.adding
    orm_row = Report.objects.get(pk=by_orm.pk)
    plain_row = Report.objects.get(pk=plain.pk)
    different = {
        name
        for name in FIELDS
        if getattr(orm_row, name) != getattr(plain_row, name)
        and name not in {"reference", "external_id"}
    }
    assert different == set()
    assert plain_row.reporter_name == "Achieng Otieno"
    assert plain_row.subject_names == ["Baraka Kiprono", "Zawadi Njeri"]
    assert plain_row.code and plain_row.code != orm_row.code


def test_encrypted_fields_are_sealed_in_the_table(cast):
    plain = report(cast, "plain-2")
    rows.insert([plain])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_name, narrative, subject_names FROM intake_report WHERE id = %s",
            [plain.pk],
        )
        stored = " ".join(str(value) for value in cursor.fetchone())
    for secret in ("Achieng", "Otieno", "passports", "Baraka", "Zawadi"):
        assert secret not in stored


def test_several_rows_get_their_own_keys_in_order(cast):
    first = report(cast, "plain-3")
    rows.insert([first])
    events = [
        ReportEvent(report=first, kind=ReportEvent.Kind.RECEIVED, data={"n": n}) for n in range(3)
    ]

    rows.insert(events)

    assert [ReportEvent.objects.get(pk=event.pk).data for event in events] == [
        {"n": 0},
        {"n": 1},
        {"n": 2},
    ]


def test_more_rows_than_one_statement_may_carry_are_written_in_batches(cast):
    first = report(cast, "plain-batches")
    rows.insert([first])
    count = 2 * rows.rows_per_statement(ReportEvent, connection.alias) + 1
    events = [
        ReportEvent(report=first, kind=ReportEvent.Kind.RECEIVED, data={"n": n})
        for n in range(count)
    ]

    with CaptureQueriesContext(connection) as queries:
        rows.insert(events)

    inserts = [query for query in queries.captured_queries if "INSERT" in query["sql"]]
    assert len(inserts) == 3
    stored = dict(ReportEvent.objects.filter(report=first).values_list("pk", "data"))
    assert [stored[event.pk] for event in events] == [{"n": n} for n in range(count)]


def test_defaults_are_applied(cast):
    record = ChangeRecord(
        organisation=cast.ngo, record_kind="report", record_code="abc", action="created"
    )
    rows.insert([record])
    saved = ChangeRecord.objects.get(pk=record.pk)
    assert saved.fields == [] and saved.at is not None and saved.user_id is None


def test_an_instance_with_a_key_or_a_listened_model_goes_through_the_orm(cast):
    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append(created)

    signals.post_save.connect(listener, sender=ReportEvent)
    try:
        first = report(cast, "plain-4")
        rows.insert([first])
        rows.insert([ReportEvent(report=first, kind=ReportEvent.Kind.RECEIVED)])
    finally:
        signals.post_save.disconnect(listener, sender=ReportEvent)
    assert heard == [True]


def test_a_row_the_database_refuses_raises_django_s_integrity_error(cast):
    rows.insert([report(cast, "plain-5")])
    before = Report.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert([report(cast, "plain-5")])  # the same gateway id again
    assert Report.objects.count() == before


def test_a_new_report_is_written_by_the_plain_statement(db):
    # On SQLite a new report is written without a savepoint, its IntegrityError caught
    # directly (okoa.intake.actions): that is right only for the plain statement. The ORM's
    # save, which rows.insert falls back to (a signal listener, a database default), marks the
    # whole transaction for rollback on an error.
    from django.db import connection
    from django.db.models import signals

    from okoa.intake.channels.models import OutboundSms
    from okoa.intake.models import Report
    from okoa.lib import rows

    for model in (Report, OutboundSms):
        assert rows._insert_plan(model, connection.vendor) is not None, model
        assert not signals.pre_save.has_listeners(model), model
        assert not signals.post_save.has_listeners(model), model
