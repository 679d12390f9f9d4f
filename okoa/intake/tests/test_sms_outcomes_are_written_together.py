"""The outcomes of acknowledgement SMS sent at the same moment are written together.

In a surge every acknowledgement's outcome ("sent", with the gateway's id) is a write; on
SQLite each write transaction holds the one write lock that the reports wait for. A sender
thread that finishes while another is writing leaves its outcome to that one, which writes it
next: no outcome is lost or written twice.
"""

from __future__ import annotations

import threading

from okoa.intake.channels import outbound


class Recording(outbound.Outcomes):
    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[int]] = []
        self.first_write_started = threading.Event()
        self.finish_first_write = threading.Event()

    def _write(self, batch):  # type: ignore[override]
        self.batches.append([pk for pk, _ in batch])
        if len(self.batches) == 1:
            self.first_write_started.set()
            assert self.finish_first_write.wait(10)


def test_outcomes_that_arrive_during_a_write_are_written_next_in_one_batch():
    outcomes = Recording()
    first = threading.Thread(target=outcomes.add, args=(1, {"status": "sent"}))
    first.start()
    assert outcomes.first_write_started.wait(10)

    # Three senders finish while the first write waits for the database: none of them waits.
    for pk in (2, 3, 4):
        outcomes.add(pk, {"status": "sent"})
    assert outcomes.batches == [[1]]

    outcomes.finish_first_write.set()
    first.join(10)
    assert outcomes.batches == [[1], [2, 3, 4]]


def test_an_outcome_alone_is_written_at_once():
    outcomes = Recording()
    outcomes.finish_first_write.set()
    outcomes.add(7, {"status": "sent"})
    outcomes.add(8, {"status": "failed"})
    assert outcomes.batches == [[7], [8]]


def test_many_threads_lose_no_outcome_and_write_none_twice():
    outcomes = Recording()
    outcomes.finish_first_write.set()
    threads = [
        threading.Thread(target=outcomes.add, args=(pk, {"status": "sent"})) for pk in range(200)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    written = [pk for batch in outcomes.batches for pk in batch]
    assert sorted(written) == list(range(200))
