"""Small Mongo helpers the notification collections share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

from shared.pagination import decode_cursor, encode_cursor

DUPLICATE_KEY = 11000


def insert_new(collection: Collection, docs: Sequence[Mapping[str, Any]]) -> set[str]:
    """Insert what is not there yet; returns the ids this call inserted (duplicates are no-ops)."""
    if not docs:
        return set()
    try:
        collection.insert_many([dict(d) for d in docs], ordered=False)
        return {d["_id"] for d in docs}
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        failed = {e["index"] for e in errors}
        return {d["_id"] for i, d in enumerate(docs) if i not in failed}


def by_id(collection: Collection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One `_id` lookup per id (each is indexed on MongoDB)."""
    found = {}
    for doc_id in dict.fromkeys(i for i in ids if i):
        doc = collection.find_one({"_id": doc_id})
        if doc is not None:
            found[doc_id] = doc
    return found


def page_newest_first(collection: Collection, query: Mapping[str, Any], *, limit: int, cursor: str | None,
                      render: Callable[[list[dict]], list[dict]]) -> dict[str, Any]:
    """Newest first by `sort_key` (created_at|id), continuing after `cursor`; `render` maps the page."""
    filt = dict(query)
    if cursor:
        filt = {"$and": [filt, {"sort_key": {"$lt": decode_cursor(cursor)}}]}
    docs = list(collection.find(filt).sort("sort_key", -1).limit(limit + 1))
    more, docs = len(docs) > limit, docs[:limit]
    return {"items": render(docs), "next_cursor": encode_cursor(docs[-1]["sort_key"]) if more and docs else None}
