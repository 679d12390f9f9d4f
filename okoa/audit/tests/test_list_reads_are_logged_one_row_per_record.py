import datetime

from django.test import RequestFactory
from django.utils import timezone

from okoa.audit.actions import record_accesses
from okoa.audit.models import AccessRecord


def test_each_record_shown_gets_its_own_row_with_who_when_and_where(cast):
    request = RequestFactory().get("/cases/", REMOTE_ADDR="203.0.113.9")
    before = timezone.now()

    record_accesses(
        cast.membership(cast.caseworker),
        record_kind="case",
        record_codes=["code-one", "code-two", "code-three"],
        channel="page",
        request=request,
    )

    rows = list(AccessRecord.objects.order_by("record_code"))
    assert [row.record_code for row in rows] == ["code-one", "code-three", "code-two"]
    for row in rows:
        assert row.user_id == cast.caseworker.pk
        assert row.organisation_id == cast.ngo.pk
        assert (row.record_kind, row.channel, row.ip_address) == ("case", "page", "203.0.113.9")
        assert before - datetime.timedelta(seconds=1) <= row.at <= timezone.now()


def test_a_long_list_is_logged_whole_and_an_empty_one_writes_nothing(cast):
    membership = cast.membership(cast.supervisor)
    record_accesses(membership, record_kind="case", record_codes=[], channel="page")
    assert not AccessRecord.objects.exists()

    codes = [f"c{number:05d}" for number in range(1234)]
    record_accesses(membership, record_kind="person", record_codes=iter(codes), channel="export")

    logged = AccessRecord.objects.filter(record_kind="person", channel="export")
    assert sorted(logged.values_list("record_code", flat=True)) == codes
    assert set(logged.values_list("ip_address", flat=True)) == {None}
