"""The worker process: Kafka consumers, the outbox relay and scheduled jobs, each a stoppable loop."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prometheus_client import start_http_server

from shared.config import Config
from shared.consumer import ConsumerRunner, MessageProcessor, ProcessedLog
from shared.kafka import EventPublisher, ensure_topics, make_producer
from shared.leases import Lease, holder_id
from shared.metrics import registry
from shared.mongo import IndexSpec, Store
from shared.outbox import OutboxRelay

log = logging.getLogger(__name__)

Loop = Callable[[threading.Event], None]


@dataclass
class WorkerContext:
    """What a service's worker wiring needs: config, store, producer, a holder id for leases."""

    config: Config
    store: Store
    holder: str

    def __post_init__(self) -> None:
        self._producer = None

    @property
    def producer(self):
        if self._producer is None:
            self._producer = make_producer(self.config.kafka_servers, client_id=f"{self.config.service}-worker")
        return self._producer

    def prepare(self, topics: Sequence[str], indexes: Sequence[IndexSpec]) -> None:
        """Create the topics this worker touches and the service's indexes, before any loop runs."""
        ensure_topics(self.config.kafka_servers, topics)
        self.store.ensure_indexes(indexes)

    def lease(self, name: str, ttl_seconds: float = 15.0) -> Lease:
        return Lease(self.store.db[f"{self.config.service}_leases"], name, holder=self.holder,
                     ttl_seconds=ttl_seconds)

    def relay_loop(self, collections: Sequence[str]) -> Loop:
        """Publish pending outbox events; one replica at a time holds the relay lease."""
        publisher = EventPublisher(self.producer, service=self.config.service)
        relay = OutboxRelay(self.store.db, collections, publisher, service=self.config.service)
        lease = self.lease("outbox-relay")
        interval = self.config.outbox_poll_seconds

        def run(stop: threading.Event) -> None:
            while not stop.is_set():
                try:
                    busy = lease.acquire() and relay.relay_once() > 0
                except Exception as exc:  # store or broker away: keep the events, try again
                    log.warning("outbox relay paused: %r", exc)
                    busy = False
                    stop.wait(2.0)
                if not busy:
                    stop.wait(interval)

        return run

    def consumer_loop(self, group: str, topics: Sequence[str], handlers, *, dedupe: bool = False,
                      before_commit: Callable[[], None] | None = None) -> Loop:
        """Consume `topics` in consumer group `group`; handlers must be idempotent (see shared.idempotency).

        `dedupe` adds a processed-ids log in front of the handlers. It is off by default: on FerretDB a
        look-up of an id that is not there scans the whole log, which grows with every event.
        `before_commit` runs after each partition batch, before its offsets are committed (flush writes
        that handlers buffered; if it raises, the batch is read again).
        """
        processed = ProcessedLog(self.store.db[f"{self.config.service}_processed_events"]) if dedupe else None
        processor = MessageProcessor(handlers, processed, group=group,
                                     max_attempts=self.config.consumer_max_attempts)
        runner = ConsumerRunner(service=self.config.service, group=group, topics=topics,
                                servers=self.config.kafka_servers, processor=processor,
                                producer=self.producer, before_commit=before_commit)
        return runner.run

    def periodic(self, name: str, every_seconds: float, job: Callable[[], None],
                 ttl_seconds: float | None = None) -> Loop:
        """Run `job` every `every_seconds` on the replica that holds the job's lease.

        The lease lasts `ttl_seconds` (default: two periods, at least 30 s) and is released on shutdown,
        so a restarted or replaced replica takes over at once.
        """
        lease = self.lease(f"job:{name}", ttl_seconds=ttl_seconds or max(30.0, every_seconds * 2))

        def run(stop: threading.Event) -> None:
            try:
                while not stop.wait(every_seconds):
                    try:
                        if lease.acquire():
                            job()
                    except Exception:  # a failed round is logged and retried next period
                        log.exception("scheduled job %s failed", name)
            finally:
                lease.release()

        return run


def run_worker(context: WorkerContext, loops: Sequence[Loop]) -> None:
    """Run the loops in threads until SIGTERM/SIGINT, then let each finish its round."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    if context.config.metrics_port:
        start_http_server(context.config.metrics_port, addr=context.config.host, registry=registry())
    threads = [threading.Thread(target=_guarded(loop, stop), name=f"loop-{i}", daemon=True)
               for i, loop in enumerate(loops)]
    for thread in threads:
        thread.start()
    log.info("%s worker running %d loops", context.config.service, len(threads))
    while not stop.wait(1.0):
        pass
    for thread in threads:
        thread.join(timeout=30)
    if context._producer is not None:
        context._producer.flush(timeout=10)
        context._producer.close(timeout=10)
    context.store.close()
    log.info("%s worker stopped", context.config.service)


def _guarded(loop: Loop, stop: threading.Event) -> Callable[[], None]:
    def run() -> None:
        while not stop.is_set():
            try:
                loop(stop)
            except Exception:  # a loop must never die silently; restart it after a pause
                log.exception("worker loop crashed; restarting")
                stop.wait(2.0)

    return run


def new_context(config: Config) -> WorkerContext:
    return WorkerContext(config=config, store=Store(config.mongodb_uri, config.mongodb_db), holder=holder_id())
