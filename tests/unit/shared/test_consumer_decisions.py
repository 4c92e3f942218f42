"""The idempotent consumer's decisions with an in-memory unit of work: no broker, no store."""

import contextlib

import pytest
from pymongo.errors import AutoReconnect, OperationFailure

from shared.consumer import IdempotentConsumer, decode
from shared.events import catalog as ev
from shared.events import new_event


def enrollment(n: int):
    return new_event(ev.ENROLLMENT_CREATED, {"program_id": "p1", "employee_id": f"e{n}", "role": "mentee",
                                             "at": "2026-01-01T00:00:00Z"}, source="/tandem/matching")


class MemoryTracking:
    def __init__(self):
        self.ids: set[tuple[str, str]] = set()

    def seen(self, group, event_ids):
        return {i for i in event_ids if (group, i) in self.ids}

    def record(self, group, event_ids):
        self.ids |= {(group, i) for i in event_ids}


class MemoryStore:
    """Transactions over a dict: a unit of work's writes and tracking land together or not at all."""

    def __init__(self):
        self.rows: dict[str, str] = {}
        self.tracking = MemoryTracking()
        self.commits = 0

    @contextlib.contextmanager
    def begin(self):
        uow = MemoryUnitOfWork(self)
        yield uow
        self.rows |= uow.rows
        self.tracking.ids |= uow.processed.ids
        self.commits += 1


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore):
        self.rows: dict[str, str] = {}
        self.processed = MemoryTracking()
        self.processed.ids = set(store.tracking.ids)


def consumer(store: MemoryStore, handler, attempts=3):
    return IdempotentConsumer({ev.ENROLLMENT_CREATED: handler}, store.begin, group="g", max_attempts=attempts,
                              sleep=lambda _: None)


def enroll(event, uow):
    uow.rows[event.id] = event.data["employee_id"]


def test_a_batch_is_applied_in_one_unit_of_work_and_a_redelivery_changes_nothing():
    store = MemoryStore()
    events = [enrollment(1), enrollment(2)]
    assert {o.status for o in consumer(store, enroll).apply(events).values()} == {"handled"}
    assert store.commits == 1 and sorted(store.rows.values()) == ["e1", "e2"]
    calls = []
    outcomes = consumer(store, lambda e, uow: calls.append(e)).apply(events)
    assert calls == [] and {o.reason for o in outcomes.values()} == {"already processed"}


def test_a_poison_event_fails_alone_and_the_rest_of_its_batch_is_applied():
    store = MemoryStore()
    events = [enrollment(1), enrollment(2), enrollment(3)]

    def handler(event, uow):
        if event.data["employee_id"] == "e2":
            raise ValueError("cannot enroll e2")
        enroll(event, uow)

    outcomes = consumer(store, handler).apply(events)
    assert [outcomes[e.id].status for e in events] == ["handled", "dead_letter", "handled"]
    assert "cannot enroll e2" in outcomes[events[1].id].reason
    assert sorted(store.rows.values()) == ["e1", "e3"]  # the failed batch left nothing half-written


def test_a_handler_that_recovers_on_retry_is_handled():
    store, attempts = MemoryStore(), []

    def flaky(event, uow):
        attempts.append(event.id)
        if len(attempts) < 3:
            raise ValueError("transient")
        enroll(event, uow)

    event = enrollment(1)
    assert consumer(store, flaky).apply([event])[event.id].status == "handled" and store.rows == {event.id: "e1"}


def test_a_write_conflict_runs_the_whole_unit_again():
    store, attempts = MemoryStore(), []

    def conflicting(event, uow):
        attempts.append(event.id)
        if len(attempts) == 1:
            raise OperationFailure("WriteConflict", 112, {"errorLabels": ["TransientTransactionError"]})
        enroll(event, uow)

    event = enrollment(1)
    assert consumer(store, conflicting).apply([event])[event.id].status == "handled"
    assert attempts == [event.id, event.id] and store.rows == {event.id: "e1"}


def test_a_batch_that_keeps_conflicting_is_applied_in_halves_in_order():
    store, tries = MemoryStore(), []

    @contextlib.contextmanager
    def begin_conflicting():  # a store where every transaction of more than one event conflicts
        uow = MemoryUnitOfWork(store)
        yield uow
        tries.append(len(uow.rows))
        if len(uow.rows) > 1:
            raise OperationFailure("WriteConflict", 112, {"errorLabels": ["TransientTransactionError"]})
        store.rows |= uow.rows
        store.tracking.ids |= uow.processed.ids

    events = [enrollment(n) for n in range(1, 5)]
    outcomes = IdempotentConsumer({ev.ENROLLMENT_CREATED: enroll}, begin_conflicting, group="g",
                                  sleep=lambda _: None).apply(events)
    assert [outcomes[e.id].status for e in events] == ["handled"] * 4
    assert list(store.rows.values()) == ["e1", "e2", "e3", "e4"]  # in order, each once
    assert (tries[0], 2 in tries, tries.count(1)) == (4, True, 4)  # the whole, its halves, then one by one


def test_a_store_outage_is_not_the_messages_fault_and_propagates_without_recording():
    store = MemoryStore()

    def store_down(event, uow):
        raise AutoReconnect("store restarting")

    with pytest.raises(AutoReconnect):
        consumer(store, store_down).apply([enrollment(1)])
    assert not store.tracking.ids


def test_types_this_service_does_not_handle_are_skipped():
    other = new_event(ev.PROGRAM_CREATED, {"program_id": "p1", "name": "n", "starts_on": "2026-01-01",
                                           "ends_on": "2026-06-01", "checkin_every_days": 14},
                      source="/tandem/matching")
    assert consumer(MemoryStore(), enroll).apply([other])[other.id].reason == "not handled here"


def test_invalid_json_is_for_the_dead_letter_topic_and_a_tombstone_is_skipped():
    event, outcome = decode(b"{not json")
    assert event is None and outcome.status == "dead_letter" and "not JSON" in outcome.reason
    assert decode(None) == (None, decode(None)[1]) and decode(None)[1].status == "skipped"
