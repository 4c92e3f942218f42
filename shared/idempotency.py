"""Apply an event's change to one document at most once, recording the event id in the same write.

The pattern of pyeventsourcing: the change and "event X was applied" are one atomic update, so a
redelivered event matches nothing and changes nothing. Works on MongoDB and FerretDB alike (FerretDB
ignores `$slice`, so there the list of applied ids is not trimmed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

APPLIED = "_applied"
KEEP_APPLIED = 200  # ids remembered per document; older redeliveries fall to version/status guards


def apply_once(collection: Collection, doc_id: Any, update: Mapping[str, Any], event_id: str) -> bool:
    """Upsert `update` into document `doc_id` unless `event_id` was applied to it; True if applied now."""
    merged = {op: dict(fields) for op, fields in update.items()}
    merged.setdefault("$push", {})[APPLIED] = {"$each": [event_id], "$slice": -KEEP_APPLIED}
    try:
        result = collection.update_one({"_id": doc_id, APPLIED: {"$ne": event_id}}, merged, upsert=True)
    except DuplicateKeyError:  # the document exists and already lists the event: nothing to do
        return False
    return bool(result.modified_count or result.upserted_id is not None)
