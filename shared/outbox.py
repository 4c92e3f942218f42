"""Transactional outbox without multi-document transactions.

A state change and its events are one write: pending events ride inside the changed document
(`_outbox`, with `_outbox_rev` bumped and `_outbox_pending` set). The relay publishes them in
order and clears them with a compare-and-set on `_outbox_rev`, so an event appended meanwhile is
never lost. Publishing is at-least-once; consumers are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.collection import Collection
from pymongo.database import Database

from shared.events import Event
from shared.metrics import OUTBOX_PENDING
from shared.mongo import IndexSpec

log = logging.getLogger(__name__)

OUTBOX, REV, PENDING = "_outbox", "_outbox_rev", "_outbox_pending"


def stamp_new(document: dict[str, Any], events: Sequence[Event]) -> dict[str, Any]:
    """A new document carrying its first events."""
    return {**document, OUTBOX: [e.to_dict() for e in events], REV: 1, PENDING: bool(events)}


def append(update: dict[str, Any], events: Sequence[Event]) -> dict[str, Any]:
    """Merge 'append these events' into a Mongo update document."""
    if not events:
        return update
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$push", {})[OUTBOX] = {"$each": [e.to_dict() for e in events]}
    merged.setdefault("$inc", {})[REV] = 1
    merged.setdefault("$set", {})[PENDING] = True
    return merged


def strip(document: dict[str, Any] | None) -> dict[str, Any] | None:
    """The document without outbox bookkeeping, for rendering."""
    if document is None:
        return None
    return {k: v for k, v in document.items() if k not in (OUTBOX, REV, PENDING)}


def index_specs(collections: Iterable[str]) -> list[IndexSpec]:
    return [IndexSpec(name, [(PENDING, 1)], {"sparse": True}) for name in collections]


Publish = Callable[[Sequence[Event]], set[str]]  # publishes in order, returns ids that made it


class OutboxRelay:
    """Moves pending events from aggregate documents to Kafka."""

    # Large, because a store may answer `find(pending).limit(n)` by reading every pending document first
    # (SecantusDB does: ~10 s a round at 100,000 pending on 2 cores): a round's cost is then the backlog's,
    # whatever n is, and only a large n drains an import's backlog in minutes rather than an hour.
    def __init__(self, db: Database, collections: Sequence[str], publish: Publish, *, service: str,
                 batch_size: int = 5000):
        self._db, self._collections, self._publish = db, collections, publish
        self._service, self._batch = service, batch_size

    def relay_once(self) -> int:
        """Publish one batch of pending events; returns how many were published."""
        pending = [(name, doc) for name in self._collections
                   for doc in self._db[name].find({PENDING: True}, {OUTBOX: 1, REV: 1}).limit(self._batch)]
        OUTBOX_PENDING.labels(self._service).set(len(pending))
        events = in_publish_order(pending)
        if not events:
            return 0
        published = self._publish(events)
        for name in self._collections:
            self._clear_all(name, [doc for where, doc in pending if where == name], published)
        return len(published)

    def _clear_all(self, collection: str, docs: list[dict[str, Any]], published: set[str]) -> None:
        """Remove published events from `docs` in one bulk of compare-and-sets; a document whose outbox changed
        meanwhile (an event appended) is re-read and cleared on its own."""
        writes = {doc["_id"]: UpdateOne({"_id": doc["_id"], REV: doc.get(REV)}, update)
                  for doc in docs if (update := cleared(doc, published))}
        if not writes:
            return  # none of their events went out (the broker is away): nothing to clear
        coll = self._db[collection]
        if coll.bulk_write(list(writes.values()), ordered=False).matched_count == len(writes):
            return
        for doc in coll.find({"_id": {"$in": sorted(writes)}}, {OUTBOX: 1, REV: 1}):
            self._clear(coll, doc, published)

    def _clear(self, coll: Collection, doc: dict[str, Any] | None, published: set[str]) -> None:
        """One document's compare-and-set, re-reading on a concurrent append."""
        doc_id = doc["_id"] if doc else None
        for _ in range(5):
            update = cleared(doc, published) if doc else None
            if update is None or coll.update_one({"_id": doc["_id"], REV: doc.get(REV)}, update).matched_count:
                return
            doc = coll.find_one({"_id": doc["_id"]}, {OUTBOX: 1, REV: 1})
        log.warning("outbox of %s/%s kept changing; will retry next round", coll.name, doc_id)


def cleared(doc: dict[str, Any], published: set[str]) -> dict[str, Any] | None:
    """The update that removes `published` events from the document's outbox; None when it holds none."""
    remaining = [e for e in doc.get(OUTBOX, []) if e["id"] not in published]
    if len(remaining) == len(doc.get(OUTBOX, [])):
        return None
    update: dict[str, Any] = {"$set": {OUTBOX: remaining}}
    if not remaining:
        update["$unset"] = {PENDING: ""}
    return update


def in_publish_order(pending: list[tuple[str, dict[str, Any]]]) -> list[Event]:
    """Events of all documents, by time; a document's own events keep their order."""
    rows = [(raw["time"], n, i, raw) for n, (_, doc) in enumerate(pending)
            for i, raw in enumerate(doc.get(OUTBOX, []))]
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    return [Event.from_dict(raw, strict_data=True) for *_, raw in rows]
