"""The dispatch queue against the real store: a round queued again after it was worked on is told apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pymongo import MongoClient

from services.notifications.domain import delivery
from services.notifications.queue import DispatchQueue, entry_for

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def queue(infra, uid):
    client = MongoClient(infra.mongodb_uri)
    name = f"{infra.mongodb_db}_queue_{uid}"  # its own database: the running service's queue is not touched
    yield DispatchQueue(client[name])
    client.drop_database(name)
    client.close()


def first_round(notification_id: str) -> dict:
    item = {"notification_id": notification_id, "recipient_id": "e1", "kind": "introduction"}
    return entry_for(item, 0, NOW - timedelta(minutes=1), {"inbox": delivery.pending(NOW)})


def test_a_round_queued_again_after_it_was_worked_on_is_a_stale_copy(queue):
    queue.enqueue([first_round("intro:m1:e1")])
    [queued] = queue.head(10)
    assert queue.claim([queued], NOW + timedelta(minutes=2)) == {queued["_id"]}
    queue.finish([], [], [queued["_id"]])

    queue.enqueue([first_round("intro:m1:e1")])  # e.g. a redelivered event repairing a notice
    [again] = queue.head(10)
    assert queue.claim([again], NOW + timedelta(minutes=2)) == set()
    assert queue.is_stale_copy(again)
    queue.drop(again)
    assert queue.head(10) == []


def test_a_round_another_dispatcher_holds_is_not_a_stale_copy(queue):
    queue.enqueue([first_round("intro:m2:e1")])
    [queued] = queue.head(10)
    assert queue.claim([queued], NOW + timedelta(minutes=2)) == {queued["_id"]}
    assert queue.claim([queued], NOW + timedelta(minutes=2)) == set()  # a second dispatcher loses
    assert not queue.is_stale_copy(queued)
    queue.enqueue([first_round("intro:m2:e1")])  # queued while still there: changes nothing
    assert [e["copy"] for e in queue.head(10)] == [queued["copy"]]
