"""Publishes the outbox: documents of `mentoring.notification.*` events, oldest first, then deletes them.

A dispatcher writes one outbox document per group of outcomes, in the transaction that records them,
so publishing costs one read and one delete per group rather than a write per notification. Events
are published in time order (so a recipient's stay in order); publishing is at-least-once.
"""

from __future__ import annotations

from collections.abc import Sequence

from pymongo.database import Database

from services.notifications.adapters.notifications import OUTBOX
from shared import outbox
from shared.metrics import OUTBOX_PENDING


class OutboxRelay:
    def __init__(self, db: Database, publish: outbox.Publish, *, service: str, batch: int = 100):
        self._coll, self._publish, self._service, self._batch = db[OUTBOX], publish, service, batch

    def relay_once(self) -> int:
        """Publish one batch; returns how many outbox documents were done."""
        pending = list(self._coll.find({}).sort("at", 1).limit(self._batch))
        OUTBOX_PENDING.labels(self._service).set(len(pending))
        events = outbox.in_publish_order([(OUTBOX, doc) for doc in pending])
        published = self._publish(events) if events else set()
        done = [doc["_id"] for doc in pending if all(raw["id"] in published for raw in doc.get(outbox.OUTBOX, []))]
        self._remove(done)
        return len(done)

    def _remove(self, ids: Sequence[str]) -> None:
        if ids:
            self._coll.delete_many({"_id": {"$in": list(ids)}})
