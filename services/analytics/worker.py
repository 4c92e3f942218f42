"""The analytics worker: projects every `mentoring.*` topic, rebuilds changed reports, sets the gauges."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable

from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.analytics import projection
from services.analytics.domain import facts as f
from services.analytics.domain.pseudonyms import Pseudonyms
from services.analytics.metrics import ProgramGauges
from services.analytics.projection import Changes
from services.analytics.reports import ReportBuilder, stale_programs
from services.analytics.repository import INDEXES, FactRepository
from services.analytics.settings import AnalyticsSettings
from shared.events import TOPICS
from shared.unit_of_work import MongoUnitOfWork
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)


class AnalyticsUnitOfWork(MongoUnitOfWork):
    """The fact store on the batch's session: the buffered facts are written in bulk before the commit."""

    service = "analytics"

    def __init__(self, db: Database, session: ClientSession | None = None, *,
                 pseudonymise: Callable[[str], str], changes: Changes):
        super().__init__(db, session)
        self.facts = FactRepository(db, session)
        self.pseudonymise, self.changes = pseudonymise, changes

    def flush(self) -> None:
        self.facts.flush()


def loops(context: WorkerContext) -> list[Loop]:
    settings = AnalyticsSettings.load(context.config)
    context.prepare(INDEXES)
    repo = FactRepository(context.store.db)
    changes = Changes()
    unit_of_work = functools.partial(AnalyticsUnitOfWork, pseudonymise=Pseudonyms(repo.pseudonym_key()),
                                     changes=changes)
    builder = ReportBuilder(repo, context.config.analytics_min_group_size)
    gauges = ProgramGauges(repo, settings)
    handlers = dict.fromkeys(f.PROJECTED_TYPES, lambda event, uow: projection.apply(uow, event))
    return [context.consumer_loop(settings.consumer_group, TOPICS, handlers, unit_of_work),
            report_loop(builder, repo, changes, settings.report_pause_seconds),
            context.periodic("program-gauges", settings.gauge_every_seconds, gauges.refresh)]


def report_loop(builder: ReportBuilder, repo: FactRepository, changes: Changes, pause: float) -> Loop:
    """Rebuild the reports of changed programs; every program once at start, to catch up on a restart."""

    def run(stop: threading.Event) -> None:
        everyone, programs, people = True, set(), set()
        while not stop.is_set():
            if everyone or programs or people:
                started = time.monotonic()
                try:
                    builder.build(repo.known_programs() if everyone else stale_programs(repo, programs, people))
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
