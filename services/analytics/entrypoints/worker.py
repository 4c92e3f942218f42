"""The analytics worker: projects every `mentoring.*` topic, rebuilds changed reports, sets the gauges."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable

from services.analytics.adapters.facts import MongoFacts
from services.analytics.adapters.indexes import INDEXES
from services.analytics.adapters.metrics import PrometheusGauges
from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.pseudonyms import Pseudonyms
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.settings import AnalyticsSettings
from services.analytics.use_cases import reports
from services.analytics.use_cases.gauges import ProgramGauges
from services.analytics.use_cases.rebuilds import Changes
from shared import topology
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)
CONSUMED = [topic.name for topic in topology.of("analytics").consumes]


def loops(context: WorkerContext) -> list[Loop]:
    settings = AnalyticsSettings.load(context.config)
    context.prepare(INDEXES)
    db, changes = context.store.db, Changes()
    unit_of_work = functools.partial(AnalyticsUnitOfWork, pseudonymise=Pseudonyms(MongoFacts(db).pseudonym_key()),
                                     changes=changes)
    gauges = ProgramGauges(PrometheusGauges(), settings.gauge_recent_days, settings.gauge_max_programs)
    return [context.consumer_loop(settings.consumer_group, CONSUMED, EVENT_HANDLERS, unit_of_work),
            report_loop(lambda: AnalyticsUnitOfWork(db), context.config.analytics_min_group_size, changes,
                        settings.report_pause_seconds),
            context.periodic("program-gauges", settings.gauge_every_seconds,
                             lambda: gauges.refresh(AnalyticsUnitOfWork(db)))]


def report_loop(unit_of_work: Callable[[], AnalyticsUnitOfWork], min_size: int, changes: Changes,
                pause: float) -> Loop:
    """Rebuild the reports of changed programs; every program once at start, to catch up on a restart."""

    def run(stop: threading.Event) -> None:
        everyone, programs, people = True, set(), set()
        while not stop.is_set():
            if everyone or programs or people:
                started, uow = time.monotonic(), unit_of_work()
                try:
                    stale = uow.facts.known_programs() if everyone else reports.stale_programs(uow, programs, people)
                    reports.rebuild(uow, stale, min_size)
                except Exception:  # store away or a bad fact: keep the changes and try again
                    log.exception("rebuilding program reports failed; retrying")
                    stop.wait(2.0)
                    continue
                # big programs take a while to rebuild: leave most of the time to the consumer
                stop.wait(min(60.0, 2 * (time.monotonic() - started)))
            stop.wait(pause)
            everyone = False
            programs, people = changes.take()

    return run
