"""The outbox relay clearing published events while a writer keeps appending: every event survives.

It relies on the store's single-document atomicity, which tests/integration/store checks on its own.
"""

from __future__ import annotations

import threading

from pymongo import MongoClient

from shared import outbox
from shared.events import new_event
from shared.outbox import OutboxRelay

WRITERS, WRITES_EACH = 6, 60


def goal_progressed(goal_id: str, progress: int):
    return new_event("mentoring.goal.progressed", {
        "goal_id": goal_id, "employee_id": "E1", "status": "active", "progress": progress % 101,
        "version": progress, "updated_at": "2026-01-01T00:00:00Z"}, source="/tandem/profiles")


def in_parallel(*jobs) -> None:
    threads = [threading.Thread(target=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_events_appended_while_the_relay_clears_the_outbox_are_all_published(infra, uid):
    db = MongoClient(infra.mongodb_uri, maxPoolSize=8)[infra.mongodb_db]
    collection = f"t_goals_{uid}"
    db[collection].insert_one(outbox.stamp_new({"_id": "g1", "progress": 0}, []))
    published: list[str] = []

    def publish(events) -> set[str]:
        published.extend(e.id for e in events)
        return {e.id for e in events}

    relay = OutboxRelay(db, [collection], publish, service="test")
    appended: list[str] = []
    writing = threading.Event()
    writing.set()

    def write():
        for n in range(1, WRITERS * WRITES_EACH // 2 + 1):
            event = goal_progressed("g1", n)
            db[collection].update_one({"_id": "g1"}, outbox.append({"$set": {"progress": n}}, [event]))
            appended.append(event.id)
        writing.clear()

    def relay_while_writing():
        while writing.is_set():
            relay.relay_once()

    in_parallel(write, relay_while_writing)
    while relay.relay_once():
        pass
    assert set(published) == set(appended) and len(appended) == WRITERS * WRITES_EACH // 2
    assert db[collection].find_one({"_id": "g1"})["progress"] == len(appended)


def test_a_round_that_published_nothing_leaves_the_outbox_alone_and_quiet(infra, uid, caplog):
    db = MongoClient(infra.mongodb_uri)[infra.mongodb_db]
    collection = f"t_goals_{uid}"
    event = goal_progressed("g1", 1)
    db[collection].insert_one(outbox.stamp_new({"_id": "g1", "progress": 1}, [event]))
    broker_away = OutboxRelay(db, [collection], lambda events: set(), service="test")
    with caplog.at_level("WARNING"):
        assert broker_away.relay_once() == 0
    assert "kept changing" not in caplog.text
    stored = db[collection].find_one({"_id": "g1"})
    assert stored[outbox.REV] == 1 and [e["id"] for e in stored[outbox.OUTBOX]] == [event.id]
