"""The matching worker: keeps its view of people current, relays its outbox, executes matching runs."""

from __future__ import annotations

import logging
import threading

from services.matching.adapters.indexes import INDEXES, OUTBOX_COLLECTIONS
from services.matching.adapters.metrics import RUN_DURATION
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.entrypoints.handlers import EVENT_HANDLERS
from services.matching.use_cases.run_executor import RunExecutor
from shared import topology
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)

RUN_POLL_SECONDS = 0.5


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    consumed = [t.name for t in topology.of("matching").consumes]
    return [context.relay_loop(OUTBOX_COLLECTIONS),
            context.consumer_loop("matching", consumed, EVENT_HANDLERS, MatchingUnitOfWork),
            run_loop(RunExecutor(MatchingUnitOfWork(context.store.db), context.holder,
                                       on_completed=RUN_DURATION.observe))]


def run_loop(executor: RunExecutor) -> Loop:
    """Claim and execute queued matching runs; runs are claimed atomically, so replicas share them."""

    def run(stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                busy = executor.tick()
            except Exception as exc:  # store away: the run stays queued and is claimed again later
                log.warning("matching runs paused: %r", exc)
                busy = False
                stop.wait(2.0)
            if not busy:
                stop.wait(RUN_POLL_SECONDS)

    return run
