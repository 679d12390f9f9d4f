"""The reason given for a status change is somebody's words, which may name people: it is
stored encrypted (no column of the timeline's row holds it in the clear, ``data`` keeps the
statuses only) and shown on the case's timeline to those who see identities, to nobody else."""

import pytest
from django.db import connection

from okoa.cases.models import CaseEvent

REASON = "Placed with her aunt Wanjiru Kamau in Nyeri"
WORDS = ("Wanjiru", "Kamau", "Nyeri")


@pytest.fixture
def moved(client, cast, make_case):
    """A case moved into care through its page, with a reason."""
    case = make_case(given_name="Nyambura", assigned_to=cast.caseworker)
    client.force_login(cast.caseworker)
    response = client.post(
        f"/cases/{case.code}/status/", {"status-to": "in_care", "status-reason": REASON}
    )
    assert response.status_code == 302
    client.logout()
    return case


def raw_row(event: CaseEvent) -> dict[str, object]:
    table = connection.ops.quote_name(CaseEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [event.pk])
        names = [column[0] for column in cursor.description]
        (row,) = cursor.fetchall()
    return dict(zip(names, row, strict=True))


def test_the_reason_is_in_no_column_of_the_stored_row(moved):
    event = CaseEvent.objects.get(case=moved, kind=CaseEvent.Kind.STATUS_CHANGED)

    row = raw_row(event)

    assert str(row["text"]).startswith("okoa1:")
    for column, value in row.items():
        for word in WORDS:
            assert word not in str(value), (column, word)
    assert event.data == {"previous": "open", "to": "in_care"}
    assert event.text == REASON


def test_the_timeline_shows_the_reason_to_those_who_see_identities(client, cast, moved):
    for user in (cast.caseworker, cast.supervisor):
        client.force_login(user)

        html = client.get(f"/cases/{moved.code}/").content.decode()

        assert f"Reason: {REASON}" in html, user


def test_the_timeline_shows_the_change_but_not_the_reason_to_an_analyst(client, cast, moved):
    client.force_login(cast.analyst)

    html = client.get(f"/cases/{moved.code}/").content.decode()

    assert "Status changed" in html
    assert not any(word in html for word in WORDS)
    assert "Reason:" not in html
