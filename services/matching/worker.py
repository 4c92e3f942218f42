"""The matching worker: keeps its view of people current, relays its outbox, executes matching runs."""

from __future__ import annotations

import logging
import threading

from services.matching.handlers import handlers
from services.matching.repos import Repositories
from services.matching.repository import INDEXES, OUTBOX_COLLECTIONS
from services.matching.run_executor import RunExecutor
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)

CONSUMES = ("mentoring.profiles", "mentoring.goals")
PUBLISHES = ("mentoring.programs", "mentoring.mentorships", "mentoring.sessions", "mentoring.feedback")
RUN_POLL_SECONDS = 0.5


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(CONSUMES + PUBLISHES, INDEXES)

    def repos() -> Repositories:
        return Repositories(context.store.db)

    return [context.relay_loop(OUTBOX_COLLECTIONS),
            context.consumer_loop("matching", CONSUMES, handlers(repos)),
            run_loop(RunExecutor(repos(), context.holder))]


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
