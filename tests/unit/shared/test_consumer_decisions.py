"""Consumer decisions: handled, skipped as a duplicate, retried, dead-lettered — no broker needed."""

import pytest
from pymongo.errors import AutoReconnect

from shared.consumer import MessageProcessor
from shared.events import new_event

EVENT = new_event("mentoring.enrollment.created", {"program_id": "p1", "employee_id": "e1", "role": "mentee",
                                                   "at": "2026-01-01T00:00:00Z"}, source="/tandem/matching")


class MemoryProcessedLog:
    def __init__(self):
        self.ids = set()

    def seen(self, group, event_id):
        return (group, event_id) in self.ids

    def record(self, group, event_id):
        self.ids.add((group, event_id))


def processor(handler, log=None, attempts=3):
    return MessageProcessor({EVENT.type: handler}, log or MemoryProcessedLog(), group="g",
                            max_attempts=attempts, sleep=lambda _: None)


def test_a_valid_event_is_handled_once_and_a_redelivery_is_skipped():
    calls = []
    proc = processor(calls.append)
    assert proc.decide(EVENT.to_json())[0].status == "handled"
    assert proc.decide(EVENT.to_json())[0].status == "skipped"
    assert calls == [EVENT]


def test_invalid_json_goes_to_the_dead_letter_topic_with_the_reason():
    outcome, event = processor(lambda e: None).decide(b"{not json")
    assert (outcome.status, event) == ("dead_letter", None) and "not JSON" in outcome.reason


def test_a_handler_that_keeps_failing_is_retried_then_dead_lettered():
    attempts = []

    def broken(event):
        attempts.append(event.id)
        raise ValueError("boom")

    outcome, _ = processor(broken, attempts=3).decide(EVENT.to_json())
    assert outcome.status == "dead_letter" and "boom" in outcome.reason and len(attempts) == 3


def test_a_handler_that_recovers_on_retry_is_handled():
    attempts = []

    def flaky(event):
        attempts.append(1)
        if len(attempts) < 2:
            raise ValueError("transient")

    assert processor(flaky).decide(EVENT.to_json())[0].status == "handled"


def test_a_store_outage_is_not_the_messages_fault_and_propagates_for_a_retry_without_commit():
    def store_down(event):
        raise AutoReconnect("store restarting")

    log = MemoryProcessedLog()
    with pytest.raises(AutoReconnect):
        processor(store_down, log).decide(EVENT.to_json())
    assert not log.ids


def test_types_this_service_does_not_handle_are_skipped():
    other = new_event("mentoring.program.created", {"program_id": "p1", "name": "n", "starts_on": "2026-01-01",
                                                    "ends_on": "2026-06-01", "checkin_every_days": 14},
                      source="/tandem/matching")
    assert processor(lambda e: None).decide(other.to_json())[0].status == "skipped"
