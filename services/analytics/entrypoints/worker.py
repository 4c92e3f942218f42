"""The analytics worker: projects every `mentoring.*` topic, rebuilds changed reports, sets the gauges."""

from __future__ import annotations

import functools
import logging

from services.analytics.adapters.facts import MongoFacts
from services.analytics.adapters.indexes import INDEXES
from services.analytics.adapters.metrics import PrometheusGauges
from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.pseudonyms import Pseudonyms
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.settings import AnalyticsSettings
from services.analytics.use_cases.gauges import ProgramGauges
from services.analytics.use_cases.rebuilds import Changes, ReportRebuilds
from shared import topology
from shared.worker import Loop, WorkerContext, polling

log = logging.getLogger(__name__)
CONSUMED = [topic.name for topic in topology.of("analytics").consumes]


def loops(context: WorkerContext) -> list[Loop]:
    settings = AnalyticsSettings.load(context.config)
    context.prepare(INDEXES)
    db, changes = context.store.db, Changes()
    unit_of_work = functools.partial(AnalyticsUnitOfWork, pseudonymise=Pseudonyms(MongoFacts(db).pseudonym_key()),
                                     changes=changes)
    rebuilds = ReportRebuilds(lambda: AnalyticsUnitOfWork(db), changes, context.config.analytics_min_group_size)
    gauges = ProgramGauges(PrometheusGauges(), settings.gauge_recent_days, settings.gauge_max_programs)
    return [context.consumer_loop(settings.consumer_group, CONSUMED, EVENT_HANDLERS, unit_of_work),
            polling("report rebuild", rebuilds.tick, idle_seconds=settings.report_pause_seconds),
            context.periodic("program-gauges", settings.gauge_every_seconds,
                             lambda: gauges.refresh(AnalyticsUnitOfWork(db)))]
