"""A service's backfill audit trail in Mongo (`<service>_backfill_audit`): one entry per backfilled write.

Entries are written in the same transaction as the change they audit, and listed in the order they
were recorded: an entry's `sequence` starts with its `recorded_at`. Pages follow `sequence`, not
`_id`: SecantusDB answers a range on `_id` with a collection scan, a secondary index it walks.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from pymongo import UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from shared.mongo import IndexSpec, asc
from shared.pagination import page


def sequence(recorded_at: str, n: int) -> str:
    """Unique, and in the order entries were recorded (`n`: the entry's place in its write)."""
    return f"{recorded_at}~{n:05d}~{uuid.uuid4().hex[:12]}"


class MongoBackfillAudit:
    """The AuditTrail port (shared.backfill) on one collection and store session."""

    def __init__(self, db: Database, collection: str, session: ClientSession | None = None):
        self._audit, self._session = db[collection], session

    def record(self, entries: Sequence[Mapping[str, Any]]) -> None:
        docs = [{"_id": str(uuid.uuid4()), "sequence": sequence(e["recorded_at"], n), **e}
                for n, e in enumerate(entries)]
        if docs:
            self._audit.insert_many(docs, session=self._session)

    def page(self, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return page(self._audit, {}, limit=limit, cursor=cursor, render=_view, sort_field="sequence",
                    session=self._session)

    def pseudonymise(self, employee_id: str, pseudonym: str) -> None:
        """Erasure: the person's id, among the people an entry concerns, as the aggregate it wrote (their
        profile) or as its recorder, becomes `pseudonym`."""
        found = self._audit.find({"employee_ids": employee_id}, {"employee_ids": 1, "aggregate_id": 1},
                                 session=self._session)
        ops = [UpdateOne({"_id": d["_id"]}, {"$set": _pseudonymised(d, employee_id, pseudonym)}) for d in found]
        if ops:
            self._audit.bulk_write(ops, ordered=False, session=self._session)
        self._audit.update_many({"by": employee_id}, {"$set": {"by": pseudonym}}, session=self._session)


def _pseudonymised(entry: Mapping[str, Any], employee_id: str, pseudonym: str) -> dict[str, Any]:
    changes: dict[str, Any] = {"employee_ids": sorted(pseudonym if e == employee_id else e
                                                      for e in entry["employee_ids"])}
    if entry.get("aggregate_id") == employee_id:
        changes["aggregate_id"] = pseudonym
    return changes


def _view(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"audit_id": doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "sequence")}}


def audit_indexes(collection: str) -> list[IndexSpec]:
    return [IndexSpec(collection, asc("sequence"), {"unique": True}),  # the trail's pages, in recording order
            IndexSpec(collection, asc("employee_ids")),  # erasure finds a person's entries
            IndexSpec(collection, asc("by"))]


def audit_hot_queries(collection: str) -> list[tuple[str, dict, list | None]]:
    """The trail's list, its next page, and the two lookups of an erasure."""
    return [(collection, {}, [("sequence", 1)]),
            (collection, {"sequence": {"$gt": "2025-03-01T00:00:00.000000Z~00000~a"}}, [("sequence", 1)]),
            (collection, {"employee_ids": "e-1"}, None),
            (collection, {"by": "e-1"}, None)]
