"""The worker process: Kafka consumers, the outbox relay and scheduled jobs, each a stoppable loop."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kafka.errors import KafkaError
from prometheus_client import start_http_server
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared import topology, tracing
from shared.config import Config
from shared.consumer import ConsumerRunner, Handler, IdempotentConsumer
from shared.events import EventType
from shared.kafka import EventPublisher, ensure_topics, make_producer
from shared.leases import Lease, holder_id
from shared.metrics import registry
from shared.mongo import IndexSpec, Store
from shared.outbox import OutboxRelay, Publish
from shared.unit_of_work import MongoUnitOfWork, tracking_indexes, transaction

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

    def prepare(self, indexes: Sequence[IndexSpec], *, patience_seconds: float = 180.0) -> None:
        """Create the topics this service touches (shared.topology) and its indexes, before any loop runs;
        a broker or store still starting (a fenced broker, a refused connection) is waited for."""
        deadline = time.monotonic() + patience_seconds
        while True:
            try:
                ensure_topics(self.config.kafka_servers, topology.of(self.config.service).touches)
                self.store.ensure_indexes([*indexes, *tracking_indexes(self.config.service)])
                return
            except (KafkaError, PyMongoError, OSError) as exc:
                if time.monotonic() > deadline:
                    raise
                log.warning("%s worker waiting for Kafka and the store: %r", self.config.service, exc)
                time.sleep(2.0)

    def lease(self, name: str, ttl_seconds: float = 15.0) -> Lease:
        return Lease(self.store.db[f"{self.config.service}_leases"], name, holder=self.holder,
                     ttl_seconds=ttl_seconds)

    def relay_loop(self, collections: Sequence[str], publisher: Publish | None = None) -> Loop:
        """Publish pending outbox events; one replica at a time holds the relay lease. `publisher` replaces
        the plain EventPublisher, e.g. to follow some events with records of its own (compaction tombstones)."""
        publisher = publisher or EventPublisher(self.producer, service=self.config.service)
        relay = OutboxRelay(self.store.db, collections, publisher, service=self.config.service)
        lease = self.lease("outbox-relay")
        return polling("outbox relay", lambda: lease.acquire() and relay.relay_once() > 0,
                       idle_seconds=self.config.outbox_poll_seconds, on_stop=lease.release)

    def consumer_loop(self, group: str, topics: Sequence[str], handlers: Mapping[EventType | str, Handler],
                      unit_of_work: Callable[[Database, ClientSession], MongoUnitOfWork]) -> Loop:
        """Consume `topics` in consumer group `group` through the idempotent consumer (shared.consumer):
        each poll's handler writes and processed-event records commit in one transaction."""
        consumer = IdempotentConsumer(handlers, lambda: transaction(self.store, unit_of_work), group=group,
                                      max_attempts=self.config.consumer_max_attempts)
        runner = ConsumerRunner(service=self.config.service, group=group, topics=topics,
                                servers=self.config.kafka_servers, consumer=consumer, producer=self.producer)
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


def polling(what: str, tick: Callable[[], bool], *, idle_seconds: float, wake: threading.Event | None = None,
            error_pause_seconds: float = 2.0, on_stop: Callable[[], None] | None = None) -> Loop:
    """A loop that runs `tick` again at once while it reports work, else after `idle_seconds` or when
    `wake` is set; a tick that raises (store or broker away) is logged and tried again after a pause."""

    def run(stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    busy = bool(tick())
                except Exception as exc:  # nothing is lost: the work stays where it is until the next tick
                    log.warning("%s paused: %r", what, exc)
                    stop.wait(error_pause_seconds)
                    continue
                if not busy:
                    _idle(stop, wake, idle_seconds)
        finally:
            if on_stop is not None:
                on_stop()

    return run


def _idle(stop: threading.Event, wake: threading.Event | None, seconds: float) -> None:
    if wake is None:
        stop.wait(seconds)
        return
    wake.wait(seconds)
    wake.clear()


def run_worker(context: WorkerContext, loops: Sequence[Loop]) -> None:
    """Run the loops in threads until SIGTERM/SIGINT, then let each finish its round."""
    tracing.setup(context.config.service, context.config.tracing)
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
    tracing.shutdown()
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
