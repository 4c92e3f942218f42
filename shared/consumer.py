"""The idempotent consumer: consumer groups, one transaction per batch, bounded retries, DLQ.

Every handler is `handler(event, uow)`: it writes only through the unit of work it is given. The
handlers' writes and the record that each event was processed commit in one transaction, so a
redelivered or replayed event is skipped by construction, whatever its handler does.

A poll's records, of every partition it returned, are applied in one transaction (one commit, one
fsync, for up to `max_poll_records` events). If a handler raises, the batch is rolled back and its events are applied
one at a time, each in its own transaction with retries, so only the poison one is dead-lettered.
Messages that are not valid events go to `<topic>.dlq` with the reason; compaction tombstones (no
value) are skipped. Store outages are not a message's fault: they rewind to the last commit instead.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from pymongo.errors import ConnectionFailure, PyMongoError

from shared import tracing
from shared.events import Event, EventType, InvalidEvent, dlq_topic, type_name
from shared.metrics import CONSUMER_LAG, DLQ_MESSAGES, EVENTS_HANDLED
from shared.unit_of_work import UnitOfWork, is_transient

log = logging.getLogger(__name__)

Handler = Callable[[Event, Any], None]
BeginUnitOfWork = Callable[[], contextlib.AbstractContextManager[UnitOfWork]]
CONFLICT_RETRIES = 5


class InfrastructureUnavailable(Exception):
    """The store or broker is down; the message is retried later, never dead-lettered."""


@dataclass(frozen=True)
class Outcome:
    status: str  # handled | skipped | dead_letter
    reason: str = ""


HANDLED = Outcome("handled")


class HandlerFailed(Exception):
    def __init__(self, event: Event, cause: Exception):
        super().__init__(f"handler for {event.id} failed: {cause!r}")
        self.event, self.cause = event, cause


def handler_table(handlers: Mapping[EventType | str, Handler]) -> dict[str, Handler]:
    """A service's EVENT_HANDLERS (keyed by declared event types) as the consumer looks them up."""
    return {type_name(kind): handler for kind, handler in handlers.items()}


def decode(value: bytes | None) -> tuple[Event | None, Outcome | None]:
    """A Kafka value as an event, or the outcome it gets without one (tombstone, poison message)."""
    if value is None:
        return None, Outcome("skipped", "compaction tombstone")
    try:
        return Event.from_json(value), None
    except InvalidEvent as exc:
        return None, Outcome("dead_letter", exc.reason)


class IdempotentConsumer:
    """Applies events through `handlers` inside units of work opened by `begin`; pure but for them."""

    def __init__(self, handlers: Mapping[EventType | str, Handler], begin: BeginUnitOfWork, *, group: str,
                 max_attempts: int = 3, backoff_seconds: float = 0.2, sleep: Callable[[float], None] = time.sleep):
        self._handlers, self._begin, self._group = handler_table(handlers), begin, group
        self._max_attempts, self._backoff, self._sleep = max_attempts, backoff_seconds, sleep

    def apply(self, events: Sequence[Event]) -> dict[str, Outcome]:
        """Outcome per event id: all in one transaction, else one at a time so a poison event fails alone.

        A batch that keeps conflicting with concurrent writers (the larger a transaction, the likelier)
        is applied in two halves, in order, rather than handed back to wait and be fetched again."""
        if not events:
            return {}
        try:
            return self._conflict_retried(lambda: self._in_one_unit(events))
        except HandlerFailed as failed:
            log.warning("%s: %s; applying the batch one event at a time", self._group, failed)
        except PyMongoError as exc:
            if len(events) == 1 or not is_transient(exc) or isinstance(exc, ConnectionFailure):
                raise
            log.info("%s: %d events kept conflicting; applying them in halves", self._group, len(events))
            half = len(events) // 2
            return {**self.apply(events[:half]), **self.apply(events[half:])}
        return {event.id: self._alone(event) for event in events}

    def _in_one_unit(self, events: Sequence[Event]) -> dict[str, Outcome]:
        outcomes: dict[str, Outcome] = {}
        with self._begin() as uow:
            done = uow.processed.seen(self._group, [e.id for e in events])
            applied = []
            for event in events:
                if event.id in done or event.id in outcomes:
                    outcomes[event.id] = Outcome("skipped", "already processed")
                    continue
                handler = self._handlers.get(event.type)
                if handler is None:
                    outcomes[event.id] = Outcome("skipped", "not handled here")
                    continue
                try:
                    with tracing.span(f"{event.type} process", parent=event.traceparent, kind="consumer",
                                      attributes={"messaging.system": "kafka", "messaging.message.id": event.id,
                                                  "messaging.consumer.group.name": self._group}):
                        handler(event, uow)
                except (ConnectionFailure, InfrastructureUnavailable):
                    raise
                except PyMongoError as exc:
                    if is_transient(exc):
                        raise
                    raise HandlerFailed(event, exc) from exc
                except Exception as exc:  # a handler bug or bad data: found out event by event
                    raise HandlerFailed(event, exc) from exc
                outcomes[event.id] = HANDLED
                applied.append(event.id)
            uow.processed.record(self._group, applied)
        return outcomes

    def _alone(self, event: Event) -> Outcome:
        for attempt in range(1, self._max_attempts + 1):
            try:
                return self._conflict_retried(lambda: self._in_one_unit([event]))[event.id]
            except HandlerFailed as failed:
                log.warning("%s: %s (attempt %d)", self._group, failed, attempt)
                if attempt == self._max_attempts:
                    return Outcome("dead_letter", f"handler failed {attempt} times: {failed.cause!r}"[:500])
                self._sleep(self._backoff * attempt)
        raise AssertionError("unreachable")

    def _conflict_retried(self, unit: Callable[[], dict[str, Outcome]]) -> dict[str, Outcome]:
        """A write conflict with a concurrent transaction: run the whole unit again, a few times."""
        for attempt in range(1, CONFLICT_RETRIES + 1):
            try:
                return unit()
            except PyMongoError as exc:
                if not is_transient(exc) or isinstance(exc, ConnectionFailure) or attempt == CONFLICT_RETRIES:
                    raise
                self._sleep(self._backoff * attempt)
        raise AssertionError("unreachable")


class ConsumerRunner:
    """Polls topics in a consumer group and applies each partition's batch through an IdempotentConsumer."""

    def __init__(self, *, service: str, group: str, topics: Sequence[str], servers: Sequence[str],
                 consumer: IdempotentConsumer, producer: KafkaProducer, poll_ms: int = 500,
                 max_poll_records: int = 200):
        self._service, self._group, self._topics = service, group, list(topics)
        self._servers, self._apply, self._producer = list(servers), consumer, producer
        self._poll_ms, self._max_poll_records = poll_ms, max_poll_records
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
                                 auto_offset_reset="earliest", max_poll_records=self._max_poll_records,
                                 session_timeout_ms=10000, heartbeat_interval_ms=2000,
                                 # the broker answers a fetch as soon as a record arrives; waiting longer
                                 # when there is none only spares an idle broker four fetches in five
                                 fetch_max_wait_ms=2500)
        consumer.subscribe(self._topics)
        return consumer

    def _poll_once(self) -> None:
        """A poll's records of every partition in one transaction and one offset commit: each partition's
        records stay in order, and a crash before the commit replays work the tracking log skips."""
        batches = self._consumer.poll(timeout_ms=self._poll_ms)
        if batches:
            self._process([record for records in batches.values() for record in records])
            self._consumer.commit({partition: OffsetAndMetadata(records[-1].offset + 1, "", -1)
                                   for partition, records in batches.items()})
        self._report_lag()

    def _process(self, records: Sequence) -> None:
        decoded = [(record, *decode(record.value)) for record in records]
        applied = self._apply.apply([event for _, event, _ in decoded if event is not None])
        for record, event, early in decoded:
            outcome = early or applied[event.id]
            if outcome.status == "dead_letter":
                self._dead_letter(record, outcome.reason)
            label = event.type if event else ("tombstone" if record.value is None else "invalid")
            EVENTS_HANDLED.labels(self._service, record.topic, label, outcome.status).inc()

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


__all__ = ["ConsumerRunner", "Handler", "IdempotentConsumer", "InfrastructureUnavailable", "Outcome",
           "TopicPartition", "decode", "handler_table"]
