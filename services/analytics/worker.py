"""The analytics worker: projects every `mentoring.*` topic, rebuilds changed reports, sets the gauges."""

from __future__ import annotations

import logging
import threading
import time

from services.analytics.domain.pseudonyms import Pseudonyms
from services.analytics.metrics import ProgramGauges
from services.analytics.projection import Changes, Projection
from services.analytics.reports import ReportBuilder
from services.analytics.repository import INDEXES, FactRepository
from services.analytics.settings import AnalyticsSettings
from shared.events import TOPICS
from shared.unit_of_work import MongoUnitOfWork
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)


def loops(context: WorkerContext) -> list[Loop]:
    settings = AnalyticsSettings.load(context.config)
    context.prepare(INDEXES)
    repo = FactRepository(context.store.db)
    changes = Changes()
    projection = Projection(repo, Pseudonyms(repo.pseudonym_key()), changes)
    builder = ReportBuilder(repo, context.config.analytics_min_group_size)
    gauges = ProgramGauges(repo, settings)

    class AnalyticsUnitOfWork(MongoUnitOfWork):
        """Facts are buffered by the projection and written in bulk before each batch commits."""

        service = "analytics"

        def flush(self) -> None:
            projection.flush()

    handlers = {kind: (lambda event, _uow: projection.apply(event)) for kind in projection.handlers()}
    return [context.consumer_loop(settings.consumer_group, TOPICS, handlers, AnalyticsUnitOfWork),
            report_loop(builder, repo, changes, settings.report_pause_seconds),
            context.periodic("program-gauges", settings.gauge_every_seconds, gauges.refresh)]


def report_loop(builder: ReportBuilder, repo: FactRepository, changes: Changes, pause: float) -> Loop:
    """Rebuild the reports of changed programs; every program once at start, to catch up on a restart."""

    def run(stop: threading.Event) -> None:
        everyone, programs = True, set()
        while not stop.is_set():
            if everyone or programs:
                started = time.monotonic()
                try:
                    builder.build(repo.known_programs() | programs if everyone else programs)
                except Exception:  # store away or a bad fact: keep the changes and try again
                    log.exception("rebuilding program reports failed; retrying")
                    stop.wait(2.0)
                    continue
                # big programs take a while to rebuild: leave most of the time to the consumer
                stop.wait(min(60.0, 2 * (time.monotonic() - started)))
            stop.wait(pause)
            programs, everyone = changes.take()

    return run
