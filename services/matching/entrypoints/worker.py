"""The matching worker: keeps its view of people current, relays its outbox, executes matching runs."""

from __future__ import annotations

from services.matching.adapters.indexes import INDEXES, OUTBOX_COLLECTIONS
from services.matching.adapters.metrics import RUN_DURATION
from services.matching.adapters.unit_of_work import MatchingUnitOfWork
from services.matching.entrypoints.handlers import EVENT_HANDLERS
from services.matching.settings import MatchingSettings
from services.matching.use_cases.run_executor import RunExecutor
from shared import topology
from shared.worker import Loop, WorkerContext, polling


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    settings = MatchingSettings.load(context.config)
    consumed = [t.name for t in topology.of("matching").consumes]
    executor = RunExecutor(MatchingUnitOfWork(context.store.db), context.holder, settings.run_policy,
                           on_completed=RUN_DURATION.observe)
    # runs are claimed atomically, so replicas share them; a store outage leaves a run queued for later
    return [context.relay_loop(OUTBOX_COLLECTIONS),
            context.consumer_loop("matching", consumed, EVENT_HANDLERS, MatchingUnitOfWork),
            polling("matching runs", executor.tick, idle_seconds=settings.run_poll_seconds)]
