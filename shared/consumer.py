"""Consumer runner: consumer groups, manual commits, idempotent handling, bounded retries, DLQ.

Each message is decided once (`decide`): handled, skipped (already processed or a type this
service ignores) or dead-lettered with the reason. Store outages are not the message's fault:
they pause the partition's progress (no commit) instead of dead-lettering.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from pymongo.errors import ConnectionFailure, DuplicateKeyError, PyMongoError

from shared.events import Event, InvalidEvent, dlq_topic
from shared.metrics import CONSUMER_LAG, DLQ_MESSAGES, EVENTS_HANDLED

log = logging.getLogger(__name__)

Handler = Callable[[Event], None]


class InfrastructureUnavailable(Exception):
    """The store or broker is down; the message is retried later, never dead-lettered."""


@dataclass(frozen=True)
class Outcome:
    status: str  # handled | skipped | dead_letter
    reason: str = ""


class ProcessedLog:
    """Ids of events a consumer group has handled (a fast path; handlers stay idempotent)."""

    def __init__(self, collection):
        self._coll = collection

    def seen(self, group: str, event_id: str) -> bool:
        return self._coll.find_one({"_id": f"{group}:{event_id}"}, {"_id": 1}) is not None

    def record(self, group: str, event_id: str) -> None:
        try:
            self._coll.insert_one({"_id": f"{group}:{event_id}"})
        except DuplicateKeyError:
            pass


class MessageProcessor:
    """Turns one raw Kafka value into an Outcome; pure apart from the handler and processed log."""

    def __init__(self, handlers: Mapping[str, Handler], processed: ProcessedLog | None, *, group: str,
                 max_attempts: int = 3, backoff_seconds: float = 0.2, sleep=time.sleep):
        self._handlers, self._processed, self._group = handlers, processed, group
        self._max_attempts, self._backoff, self._sleep = max_attempts, backoff_seconds, sleep

    def decide(self, value: bytes | None) -> tuple[Outcome, Event | None]:
        try:
            event = Event.from_json(value or b"")
        except InvalidEvent as exc:
            return Outcome("dead_letter", exc.reason), None
        handler = self._handlers.get(event.type)
        if handler is None:
            return Outcome("skipped", "not handled here"), event
        if self._processed is not None and self._processed.seen(self._group, event.id):
            return Outcome("skipped", "already processed"), event
        return self._handle(handler, event), event

    def _handle(self, handler: Handler, event: Event) -> Outcome:
        for attempt in range(1, self._max_attempts + 1):
            try:
                handler(event)
            except (ConnectionFailure, InfrastructureUnavailable):
                raise  # not the message's fault: caller retries without committing
            except Exception as exc:  # a handler bug or bad data: retry, then dead-letter
                log.warning("handler for %s failed (attempt %d): %r", event.id, attempt, exc)
                if attempt == self._max_attempts:
                    return Outcome("dead_letter", f"handler failed {attempt} times: {exc!r}"[:500])
                self._sleep(self._backoff * attempt)
                continue
            if self._processed is not None:
                self._processed.record(self._group, event.id)
            return Outcome("handled")
        raise AssertionError("unreachable")


class ConsumerRunner:
    """Polls topics in a consumer group and feeds each message to a MessageProcessor."""

    def __init__(self, *, service: str, group: str, topics: Sequence[str], servers: Sequence[str],
                 processor: MessageProcessor, producer: KafkaProducer, poll_ms: int = 500,
                 before_commit: Callable[[], None] | None = None):
        self._service, self._group, self._topics = service, group, list(topics)
        self._servers, self._processor, self._producer = list(servers), processor, producer
        self._poll_ms = poll_ms
        self._before_commit = before_commit  # e.g. writes handlers buffered: stored before offsets move on
        self._consumer: KafkaConsumer | None = None
        self._last_lag = 0.0

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self._consumer = self._consumer or self._connect()
                self._poll_once()
            except (ConnectionFailure, InfrastructureUnavailable, PyMongoError) as exc:
                log.warning("%s: store unavailable, will retry: %s", self._group, exc)
                self._rewind()
                stop.wait(2.0)
            except Exception as exc:  # broker trouble: reconnect after a pause
                log.warning("%s: consumer error, reconnecting: %r", self._group, exc)
                self._close()
                stop.wait(2.0)
        self._close()

    def _connect(self) -> KafkaConsumer:
        consumer = KafkaConsumer(bootstrap_servers=self._servers, group_id=self._group,
                                 client_id=f"{self._service}-{self._group}", enable_auto_commit=False,
                                 auto_offset_reset="earliest", max_poll_records=200,
                                 session_timeout_ms=10000, heartbeat_interval_ms=2000)
        consumer.subscribe(self._topics)
        return consumer

    def _poll_once(self) -> None:
        batches = self._consumer.poll(timeout_ms=self._poll_ms)
        for partition, records in batches.items():
            for record in records:
                self._process(record)
            if self._before_commit is not None:
                self._before_commit()
            # one commit per partition batch; a crash before it only replays idempotent work
            self._consumer.commit({partition: _offset(records[-1].offset + 1)})
        self._report_lag()

    def _process(self, record) -> None:
        outcome, event = self._processor.decide(record.value)
        type_label = event.type if event else "invalid"
        if outcome.status == "dead_letter":
            self._dead_letter(record, outcome.reason)
        EVENTS_HANDLED.labels(self._service, record.topic, type_label, outcome.status).inc()

    def _dead_letter(self, record, reason: str) -> None:
        headers = [("x-tandem-reason", reason.encode()), ("x-tandem-group", self._group.encode()),
                   ("x-tandem-origin", f"{record.topic}/{record.partition}/{record.offset}".encode())]
        self._producer.send(dlq_topic(record.topic), key=record.key, value=record.value or b"",
                            headers=headers).get(timeout=15)
        DLQ_MESSAGES.labels(self._service, record.topic).inc()
        log.error("%s: %s/%d/%d dead-lettered: %s", self._group, record.topic, record.partition,
                  record.offset, reason)

    def _rewind(self) -> None:
        """After a store outage re-read from the last commit, so nothing is skipped."""
        if self._consumer is None:
            return
        for partition in self._consumer.assignment():
            committed = self._consumer.committed(partition)
            if committed is None:
                self._consumer.seek_to_beginning(partition)
            else:
                self._consumer.seek(partition, committed)

    def _report_lag(self) -> None:
        if time.monotonic() - self._last_lag < 10:
            return
        self._last_lag = time.monotonic()
        assigned = list(self._consumer.assignment())
        for partition, end in self._consumer.end_offsets(assigned).items():
            lag = max(0, end - self._consumer.position(partition))
            CONSUMER_LAG.labels(self._service, partition.topic, str(partition.partition)).set(lag)

    def _close(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close()
            except Exception:  # closing a broken connection: nothing left to save
                log.debug("consumer close failed", exc_info=True)
            self._consumer = None


def _offset(value: int) -> OffsetAndMetadata:
    return OffsetAndMetadata(value, "", -1)


__all__ = ["ConsumerRunner", "InfrastructureUnavailable", "MessageProcessor", "Outcome", "ProcessedLog",
           "TopicPartition"]
