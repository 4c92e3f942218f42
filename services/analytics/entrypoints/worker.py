"""The analytics worker: projects every `mentoring.*` topic, rebuilds changed reports, sets the gauges."""

from __future__ import annotations

import functools

from services.analytics.adapters import pseudonym_key
from services.analytics.adapters.indexes import INDEXES
from services.analytics.adapters.metrics import PrometheusGauges
from services.analytics.adapters.unit_of_work import AnalyticsUnitOfWork
from services.analytics.domain.pseudonyms import InvalidKey, Pseudonyms
from services.analytics.entrypoints.handlers import EVENT_HANDLERS
from services.analytics.settings import AnalyticsSettings
from services.analytics.use_cases.gauges import ProgramGauges
from services.analytics.use_cases.rebuilds import Changes, ReportRebuilds, refresh_running
from shared import topology
from shared.timeutil import utcnow
from shared.worker import Loop, WorkerContext, polling

CONSUMED = [topic.name for topic in topology.of("analytics").consumes]


def loops(context: WorkerContext) -> list[Loop]:
    settings = AnalyticsSettings.load(context.config)
    pseudonyms = configured_pseudonyms(settings)
    context.prepare(INDEXES)
    pseudonym_key.settle(context.store, pseudonyms)
    db, changes = context.store.db, Changes()
    unit_of_work = functools.partial(AnalyticsUnitOfWork, pseudonymise=pseudonyms, changes=changes)
    rebuilds = ReportRebuilds(lambda: AnalyticsUnitOfWork(db), changes, context.config.analytics_min_group_size,
                              quiet_seconds=settings.report_pause_seconds)
    gauges = ProgramGauges(PrometheusGauges(), settings.gauge_recent_days, settings.gauge_max_programs)
    return [context.consumer_loop(settings.consumer_group, CONSUMED, EVENT_HANDLERS, unit_of_work),
            polling("report rebuild", rebuilds.tick, idle_seconds=settings.report_pause_seconds),
            context.periodic("program-gauges", settings.gauge_every_seconds,
                             lambda: gauges.refresh(AnalyticsUnitOfWork(db))),
            context.periodic("report-refresh", settings.report_refresh_seconds,
                             lambda: refresh_running(AnalyticsUnitOfWork(db), changes, utcnow().date()))]


def configured_pseudonyms(settings: AnalyticsSettings) -> Pseudonyms:
    """The worker does not start without its key: pseudonyms made under a stand-in would split every
    person's facts in two once the real key is set, and a key kept in the database re-links the erased."""
    if not settings.pseudonym_key:
        raise SystemExit("analytics worker: ANALYTICS_PSEUDONYM_KEY is not set; set it to a secret of at least "
                         "64 hex digits (`openssl rand -hex 32`), the same for every worker and kept across "
                         "restarts (in Kubernetes, the tandem-secrets Secret)")
    try:
        return Pseudonyms(settings.pseudonym_key)
    except InvalidKey as exc:
        raise SystemExit(f"analytics worker: {exc}") from None
