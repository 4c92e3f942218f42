"""The backfill audit trail in Mongo (`matching_backfill_audit`): one entry per backfilled write.

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

from services.matching.adapters.indexes import BACKFILL_AUDIT
from shared.pagination import page


def sequence(recorded_at: str, n: int) -> str:
    """Unique, and in the order entries were recorded (`n`: the entry's place in its write)."""
    return f"{recorded_at}~{n:05d}~{uuid.uuid4().hex[:12]}"


class MongoBackfills:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._audit, self._session = db[BACKFILL_AUDIT], session

    def record(self, entries: Sequence[Mapping[str, Any]]) -> None:
        docs = [{"_id": str(uuid.uuid4()), "sequence": sequence(e["recorded_at"], n), **e}
                for n, e in enumerate(entries)]
        if docs:
            self._audit.insert_many(docs, session=self._session)

    def page(self, *, limit: int, cursor: str | None) -> dict[str, Any]:
        return page(self._audit, {}, limit=limit, cursor=cursor, render=_view, sort_field="sequence",
                    session=self._session)

    def pseudonymise(self, employee_id: str, pseudonym: str) -> None:
        """Erasure: the person's id, among the people an entry concerns or as its recorder, becomes `pseudonym`."""
        found = self._audit.find({"employee_ids": employee_id}, {"employee_ids": 1}, session=self._session)
        ops = [UpdateOne({"_id": d["_id"]}, {"$set": {"employee_ids": sorted(
            pseudonym if e == employee_id else e for e in d["employee_ids"])}}) for d in found]
        if ops:
            self._audit.bulk_write(ops, ordered=False, session=self._session)
        self._audit.update_many({"by": employee_id}, {"$set": {"by": pseudonym}}, session=self._session)


def _view(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {"audit_id": doc["_id"], **{k: v for k, v in doc.items() if k not in ("_id", "sequence")}}
