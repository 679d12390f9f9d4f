"""The screens of an erasure: the link on the person's file, the request form, the queue
(waiting first) and the request page, each leaving access records."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from okoa.audit.models import AccessRecord
from okoa.retention.actions import reject_erasure, request_erasure
from okoa.retention.models import ErasureRequest


def test_the_persons_file_links_to_the_request_form(client, cast, survivor_file):
    client.force_login(cast.caseworker)

    page = client.get(f"/people/{survivor_file.person.code}/").content.decode()

    assert f"/retention/people/{survivor_file.person.code}/request/" in page


def test_asking_records_the_request_and_shows_it_to_the_requester(client, cast, survivor_file):
    client.force_login(cast.caseworker)
    url = f"/retention/people/{survivor_file.person.code}/request/"
    assert client.get(url).status_code == 200

    response = client.post(url, {"reason": "She asked us to forget her details."})

    erasure_request = ErasureRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/retention/requests/{erasure_request.code}/"
    assert (erasure_request.requested_by, erasure_request.person) == (
        cast.caseworker,
        survivor_file.person,
    )
    assert erasure_request.reason == "She asked us to forget her details."
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["withdraw_form"] is not None


def test_a_request_without_a_reason_is_refused(client, cast, survivor_file):
    client.force_login(cast.caseworker)

    response = client.post(
        f"/retention/people/{survivor_file.person.code}/request/", {"reason": " "}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not ErasureRequest.objects.exists()


def test_the_request_page_leaves_access_records(client, cast, survivor_file):
    erasure_request = request_erasure(survivor_file.person, reason="She asked.", by=cast.caseworker)
    client.force_login(cast.supervisor)

    client.get(f"/retention/requests/{erasure_request.code}/")

    reads = AccessRecord.objects.filter(user=cast.supervisor)
    assert set(reads.values_list("record_kind", "record_code")) == {
        ("erasure_request", erasure_request.code),
        ("person", survivor_file.person.code),
    }


def test_approving_on_the_page_erases_and_says_so(client, cast, survivor_file):
    erasure_request = request_erasure(survivor_file.person, reason="She asked.", by=cast.caseworker)
    client.force_login(cast.supervisor)
    url = f"/retention/requests/{erasure_request.code}/"
    assert client.post(url + "approve/", {}).status_code == 400  # the confirmation is required

    response = client.post(url + "approve/", {"confirm": "on"}, follow=True)

    survivor_file.person.refresh_from_db()
    assert survivor_file.person.erased_at is not None
    assert "Identity erased on" in response.content.decode()


def test_the_queue_shows_waiting_requests_first(client, cast, make_case):
    decided = request_erasure(make_case().person, reason="One.", by=cast.caseworker)
    reject_erasure(decided, by=cast.supervisor, note="Keep it.")
    waiting = request_erasure(make_case().person, reason="Two.", by=cast.caseworker)
    client.force_login(cast.supervisor)

    response = client.get("/retention/requests/")

    assert response.context["pending"] == [waiting]
    assert response.context["decided"] == [decided]
    page = response.content.decode()
    assert page.index(waiting.code) < page.index(decided.code)
    reads = AccessRecord.objects.filter(user=cast.supervisor, record_kind="erasure_request")
    assert sorted(reads.values_list("record_code", flat=True)) == sorted(
        [waiting.code, decided.code]
    )


def queries_for_the_queue(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/retention/requests/").status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_queries_for_more_requests(client, cast, make_case):
    def add(number: int, *, decide: bool) -> None:
        person = make_case(given_name=f"Wairimu{'x' * number}").person
        pending = request_erasure(person, reason="More.", by=cast.caseworker)
        if decide:
            reject_erasure(pending, by=cast.supervisor, note="Keep it.")

    add(0, decide=False)
    add(1, decide=True)
    client.force_login(cast.supervisor)
    queries_for_the_queue(client)  # the first page of a session also touches the session
    few = queries_for_the_queue(client)

    for number in range(2, 8):
        add(number, decide=bool(number % 2))

    assert queries_for_the_queue(client) == few
