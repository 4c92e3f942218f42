"""The notifications worker: consumes every mentoring topic, dispatches deliveries, runs the scheduled jobs."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from pymongo.errors import PyMongoError

from services.notifications.channels.mail import EmailSender
from services.notifications.channels.webhook import WebhookSender
from services.notifications.dispatcher import Dispatcher
from services.notifications.handlers import build_handlers
from services.notifications.jobs import JOBS, JobRunner
from services.notifications.projections import Projections
from services.notifications.queue import DispatchQueue
from services.notifications.relay import relay_loop
from services.notifications.repository import INDEXES, NotificationRepository
from services.notifications.settings import NotifySettings
from shared import topology
from shared.timeutil import utcnow
from shared.unit_of_work import MongoUnitOfWork
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)

CONSUMED = [t.name for t in topology.of("notifications").consumes]


class NotificationsUnitOfWork(MongoUnitOfWork):
    service = "notifications"


def loops(context: WorkerContext) -> list[Loop]:
    context.prepare(INDEXES)
    settings = NotifySettings.load(context.config)
    db = context.store.db
    projections, repo, queue = Projections(db), NotificationRepository(db), DispatchQueue(db)
    work = threading.Event()  # set when this process creates notifications: dispatch without waiting
    runner = JobRunner(projections, repo, queue, timedelta(hours=settings.reminder_lead_hours), work.set)
    return [
        relay_loop(context, queue),
        consumer_loop(context, settings.consumer_group, build_handlers(projections, repo, queue, work.set)),
        *[dispatch_loop(context, settings, repo, queue, projections, work) for _ in range(settings.dispatch_threads)],
        *[context.periodic(job, settings.job_every_seconds, _on_real_clock(runner, job),
                           ttl_seconds=settings.job_every_seconds * 2 + 5) for job in JOBS],
    ]


def consumer_loop(context: WorkerContext, group: str, handlers) -> Loop:
    """Every topic but this service's own, through the shared idempotent consumer."""
    table = {kind: (lambda event, _uow, handle=handle: handle(event)) for kind, handle in handlers.items()}
    return context.consumer_loop(group, CONSUMED, table, NotificationsUnitOfWork)


def dispatch_loop(context: WorkerContext, settings: NotifySettings, repo: NotificationRepository,
                  queue: DispatchQueue, projections: Projections, work: threading.Event) -> Loop:
    """Send what is due; go again at once while busy, else when woken or after `dispatch_poll_seconds`."""

    def run(stop: threading.Event) -> None:
        dispatcher = Dispatcher(repo, queue, projections, EmailSender(context.config, settings.send_timeout_seconds),
                                WebhookSender(context.config.webhook_secret, settings.send_timeout_seconds),
                                settings)
        try:
            while not stop.is_set():
                try:
                    busy = dispatcher.run_once() > 0
                except PyMongoError as exc:  # store away: claims expire, nothing is lost
                    log.warning("dispatcher paused: %r", exc)
                    stop.wait(2.0)
                    busy = False
                if not busy and not stop.is_set():
                    work.wait(settings.dispatch_poll_seconds)
                    work.clear()
        finally:
            dispatcher.close()

    return run


def _on_real_clock(runner: JobRunner, job: str):
    def run() -> None:
        report = runner.run(job, utcnow())
        if report.created:
            log.info("job %s created %d notifications", job, report.created)

    return run
