"""Read what services published, straight from the broker, to assert on topics, keys and order."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from kafka import KafkaConsumer, KafkaProducer

from tests.support.polling import wait_for


class Tap:
    """A group-less consumer on a topic, from its beginning, collecting every record."""

    def __init__(self, bootstrap: str, topic: str):
        self.topic = topic
        self._consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                       auto_offset_reset="earliest", enable_auto_commit=False,
                                       client_id=f"tap-{uuid.uuid4().hex[:6]}", consumer_timeout_ms=500)
        self.records: list = []

    def drain(self) -> list:
        """Everything published so far (reads until a poll comes back empty)."""
        while batch := self._consumer.poll(timeout_ms=500):
            for records in batch.values():
                self.records.extend(records)
        return self.records

    def events(self, where: Callable[[dict], bool] = lambda e: True) -> list[dict]:
        """The events so far; compaction tombstones (records without a value) are no events."""
        return [e for e in (json.loads(r.value) for r in self.drain() if r.value is not None) if where(e)]

    def wait_events(self, where: Callable[[dict], bool], count: int, timeout: float = 30) -> list[dict]:
        return wait_for(lambda: (found := self.events(where)) and len(found) >= count and found,
                        timeout=timeout, message=f"{count} events on {self.topic}")

    def close(self) -> None:
        self._consumer.close()


def produce_raw(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    producer.send(topic, key=key, value=value).get(timeout=15)
    producer.close()
