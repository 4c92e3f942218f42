"""What every aggregate collection of matching does in Mongo: insert, read, guarded update, pages.

A document carries the events of its change (shared.outbox), and every call runs in the unit of
work's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared import outbox
from shared.events import Event
from shared.pagination import page

CHUNK = 5000  # ids per $in query


class Aggregates:
    """Insert, read and guarded update of one collection's documents, in the unit of work's session."""

    key = ""
    guard = "version"  # the field whose read value a write must still find

    def __init__(self, db: Database, collection: str, session: ClientSession | None):
        self._coll, self._session = db[collection], session

    def insert(self, doc: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """False when a unique key (id, capacity slot, open pair) is already taken; inside a transaction,
        which a taken key aborts, the error is raised for the unit of work to run again."""
        try:
            self._coll.insert_one(outbox.stamp_new({"_id": doc[self.key], **doc}, events), session=self._session)
        except DuplicateKeyError:
            if self._session is not None:
                raise
            return False
        return True

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return outbox.strip(self._coll.find_one({"_id": doc_id}, session=self._session))

    def update(self, current: Mapping[str, Any], changes: Mapping[str, Any], events: Sequence[Event]) -> bool:
        """Apply `changes` only if the guard field still has its value in `current`; False when a concurrent
        writer changed it first (an atomic conditional update)."""
        condition = {"_id": current[self.key], self.guard: current[self.guard]}
        update = outbox.append({"$set": dict(changes)}, events)
        return self._coll.update_one(condition, update, session=self._session).matched_count == 1

    def _find(self, query: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [outbox.strip(d) for d in self._coll.find(dict(query), {outbox.OUTBOX: 0}, session=self._session)]

    def _find_in(self, field: str, ids: Iterable[str], query: Mapping[str, Any] | None = None,
                 projection: Mapping[str, int] | None = None) -> Iterable[dict[str, Any]]:
        """Documents whose `field` is one of `ids` (in chunks), `query` matched too; `$in` placed last."""
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), CHUNK):
            filt = {**(query or {}), field: {"$in": wanted[start:start + CHUNK]}}
            yield from self._coll.find(filt, projection or {outbox.OUTBOX: 0}, session=self._session)

    def _page(self, query: Mapping[str, Any], limit: int, cursor: str | None) -> dict[str, Any]:
        return page(self._coll, query, limit=limit, cursor=cursor, render=outbox.strip, session=self._session)
