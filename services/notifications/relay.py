"""Publishes the outbox: attempt records carrying `mentoring.notification.*` events, oldest first.

The shared relay keeps published events' documents and finds pending ones with a filter; on stores
that scan for any filter but `_id` (FerretDB) that grows with history. Here the outbox holds only
unpublished records, read without a filter, and a published record moves to the attempt log.
"""

from __future__ import annotations

import logging
import threading

from services.notifications.queue import DispatchQueue
from shared import outbox
from shared.events import Event
from shared.kafka import EventPublisher
from shared.metrics import OUTBOX_PENDING
from shared.worker import Loop, WorkerContext

log = logging.getLogger(__name__)


class NotificationRelay:
    def __init__(self, repo: DispatchQueue, publish: EventPublisher, *, service: str, batch: int = 500):
        self._repo, self._publish, self._service, self._batch = repo, publish, service, batch

    def relay_once(self) -> int:
        """Publish one batch; returns how many records left the outbox."""
        records = self._repo.pending_records(self._batch)
        OUTBOX_PENDING.labels(self._service).set(len(records))
        raws = sorted((raw for r in records for raw in r.get(outbox.OUTBOX, [])), key=lambda raw: raw["time"])
        published = self._publish([Event.from_dict(raw, strict_data=True) for raw in raws]) if raws else set()
        done = [r for r in records if all(raw["id"] in published for raw in r.get(outbox.OUTBOX, []))]
        self._repo.archive(done)
        return len(done)


def relay_loop(context: WorkerContext, repo: DispatchQueue) -> Loop:
    """One replica at a time (a lease) keeps events of a recipient in order."""
    relay = NotificationRelay(repo, EventPublisher(context.producer, service=context.config.service),
                              service=context.config.service)
    lease = context.lease("outbox-relay")

    def run(stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    busy = lease.acquire() and relay.relay_once() > 0
                except Exception as exc:  # store or broker away: the records stay, try again
                    log.warning("outbox relay paused: %r", exc)
                    stop.wait(2.0)
                    busy = False
                if not busy:
                    stop.wait(context.config.outbox_poll_seconds)
        finally:
            lease.release()  # a replacement replica takes over at once

    return run
