"""The idempotent consumer against the real broker and store: poison messages, redelivery, atomic batches."""

import threading
from contextlib import contextmanager

from pymongo import MongoClient

from shared.consumer import ConsumerRunner, IdempotentConsumer
from shared.events import catalog as ev
from shared.events import new_event
from shared.kafka import ensure_topics, make_producer
from shared.mongo import Store
from shared.unit_of_work import MongoUnitOfWork, transaction
from tests.support.kafka_tap import Tap, produce_raw
from tests.support.polling import wait_for


def enrollment(uid: str, who: str):
    return new_event(ev.ENROLLMENT_CREATED, {"program_id": f"P{uid}", "employee_id": f"E{uid}-{who}",
                                             "role": "mentee", "at": "2026-01-01T00:00:00Z"}, source="/tandem/tests")


def topic(uid: str) -> str:
    """A topic of the test's own: its poison messages must not reach other tests reading the real topics."""
    return f"t.programs.{uid}"


@contextmanager
def consuming(infra, uid, handler):
    """A consumer group of its own on a topic of its own, writing through a unit of work of its own."""

    class TestUnitOfWork(MongoUnitOfWork):
        service = f"t{uid}"

    ensure_topics([infra.kafka_bootstrap], [topic(uid)])
    store = Store(infra.mongodb_uri, infra.mongodb_db)
    producer = make_producer([infra.kafka_bootstrap], client_id="test")
    consumer = IdempotentConsumer({ev.ENROLLMENT_CREATED: handler}, lambda: transaction(store, TestUnitOfWork),
                                  group=f"test-{uid}", max_attempts=2, backoff_seconds=0.01)
    runner = ConsumerRunner(service="tests", group=f"test-{uid}", topics=[topic(uid)],
                            servers=[infra.kafka_bootstrap], consumer=consumer, producer=producer)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        yield store.db[f"t{uid}_enrolled"]
    finally:
        stop.set()
        thread.join(timeout=30)
        producer.close()
        store.close()


def publish(infra, uid, *events) -> None:
    for event in events:
        produce_raw(infra.kafka_bootstrap, topic(uid), event.to_json(), key=event.key.encode())


def test_poison_messages_go_to_the_dlq_with_their_reason_and_leave_nothing_half_written(infra, uid):
    def enroll(event, uow):
        if event.data["program_id"] != f"P{uid}":
            return  # other tests' enrollments on the same topic
        uow.db[f"t{uid}_enrolled"].insert_one({"_id": event.data["employee_id"]}, session=uow.session)
        if event.data["employee_id"].endswith("-boom"):
            raise ValueError("cannot enroll boom")  # after a write: the write must not survive

    with consuming(infra, uid, enroll) as enrolled:
        produce_raw(infra.kafka_bootstrap, topic(uid), b"{this is not an event", key=f"P{uid}".encode())
        publish(infra, uid, enrollment(uid, "1"), enrollment(uid, "boom"), enrollment(uid, "2"))
        wait_for(lambda: enrolled.count_documents({}) >= 2, timeout=60, message="the valid enrollments")

        dlq = Tap(infra.kafka_bootstrap, topic(uid) + ".dlq")
        dead = wait_for(lambda: len(found := [r for r in dlq.drain() if r.key == f"P{uid}".encode()]) >= 2
                        and found, timeout=30, message="both dead letters")
        dlq.close()
        reasons = [dict(r.headers)["x-tandem-reason"].decode() for r in dead]
        assert "not JSON" in reasons[0] and "cannot enroll boom" in reasons[1]
        assert dead[0].value == b"{this is not an event"
        assert sorted(d["_id"] for d in enrolled.find()) == [f"E{uid}-1", f"E{uid}-2"]


def test_a_redelivered_event_is_applied_once_even_by_a_handler_that_is_not_idempotent(infra, uid):
    def count(event, uow):
        if event.data["program_id"] == f"P{uid}":
            uow.db[f"t{uid}_enrolled"].update_one({"_id": "count"}, {"$inc": {"n": 1}}, upsert=True,
                                                  session=uow.session)

    first, second, third = enrollment(uid, "1"), enrollment(uid, "2"), enrollment(uid, "3")
    with consuming(infra, uid, count) as enrolled:
        publish(infra, uid, first, first, second, first)
        wait_for(lambda: (enrolled.find_one({"_id": "count"}) or {}).get("n", 0) >= 2, timeout=60,
                 message="both events applied")
        publish(infra, uid, second, third)  # a redelivery in a later batch; `third` shows it was read (one key)
        wait_for(lambda: enrolled.find_one({"_id": "count"})["n"] >= 3, timeout=60, message="the third event")
        assert enrolled.find_one({"_id": "count"})["n"] == 3
        tracked = MongoClient(infra.mongodb_uri)[infra.mongodb_db][f"t{uid}_processed_events"]
        ours = [f"test-{uid}:{e.id}" for e in (first, second, third)]
        assert tracked.count_documents({"_id": {"$in": ours}}) == 3
