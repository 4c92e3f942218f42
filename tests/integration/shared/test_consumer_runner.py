"""The shared consumer runner against the real broker and store: poison messages and redelivery."""

import threading

from pymongo import MongoClient

from shared.consumer import ConsumerRunner, MessageProcessor, ProcessedLog
from shared.events import new_event
from shared.kafka import ensure_topics, make_producer
from tests.support.kafka_tap import Tap, produce_raw
from tests.support.polling import wait_for

TOPIC = "mentoring.programs"


def enrollment(uid: str, n: int):
    return new_event("mentoring.enrollment.created", {"program_id": f"P{uid}", "employee_id": f"E{uid}-{n}",
                                                      "role": "mentee", "at": "2026-01-01T00:00:00Z"},
                     source="/tandem/tests")


def test_a_poison_message_goes_to_the_dlq_with_its_reason_and_the_consumer_carries_on(infra, uid):
    ensure_topics([infra.kafka_bootstrap], [TOPIC])
    db = MongoClient(infra.mongodb_uri)[infra.mongodb_db]
    handled: list[str] = []

    def handle(event):
        if event.data["program_id"] != f"P{uid}":
            return  # other tests' enrollments on the same topic
        if event.data["employee_id"].endswith("-boom"):
            raise ValueError("cannot enroll boom")
        handled.append(event.data["employee_id"])

    producer = make_producer([infra.kafka_bootstrap], client_id="test")
    processor = MessageProcessor({"mentoring.enrollment.created": handle}, ProcessedLog(db[f"t{uid}_processed"]),
                                 group=f"test-{uid}", max_attempts=2, backoff_seconds=0.01)
    runner = ConsumerRunner(service="tests", group=f"test-{uid}", topics=[TOPIC], servers=[infra.kafka_bootstrap],
                            processor=processor, producer=producer)
    stop = threading.Event()
    thread = threading.Thread(target=runner.run, args=(stop,))
    thread.start()
    try:
        good, boom = enrollment(uid, 1), new_event("mentoring.enrollment.created", {
            "program_id": f"P{uid}", "employee_id": f"E{uid}-boom", "role": "mentee"}, source="/tandem/tests")
        produce_raw(infra.kafka_bootstrap, TOPIC, b"{this is not an event", key=f"P{uid}".encode())
        for event in (boom, good, good, enrollment(uid, 2)):  # `good` twice: a redelivery
            produce_raw(infra.kafka_bootstrap, TOPIC, event.to_json(), key=event.key.encode())
        wait_for(lambda: len(handled) >= 2, timeout=60, message="valid events handled after the poison ones")
        assert handled == [f"E{uid}-1", f"E{uid}-2"]

        dlq = Tap(infra.kafka_bootstrap, TOPIC + ".dlq")
        dead = wait_for(lambda: [r for r in dlq.drain() if r.key == f"P{uid}".encode()], timeout=30,
                        message="dead letters") and [r for r in dlq.records if r.key == f"P{uid}".encode()]
        wait_for(lambda: len([r for r in dlq.drain() if r.key == f"P{uid}".encode()]) >= 2, timeout=30,
                 message="both dead letters")
        dead = [r for r in dlq.records if r.key == f"P{uid}".encode()]
        reasons = [dict(r.headers)["x-tandem-reason"].decode() for r in dead]
        assert "not JSON" in reasons[0] and "cannot enroll boom" in reasons[1]
        assert dead[0].value == b"{this is not an event"
        dlq.close()
    finally:
        stop.set()
        thread.join(timeout=30)
        producer.close()
