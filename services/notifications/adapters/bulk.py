"""Batch helpers the repositories share: `$in` reads and inserts that skip what is already stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pymongo.client_session import ClientSession
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


def by_ids(coll: Collection, ids: Iterable[str], session: ClientSession | None,
           field: str = "_id") -> list[dict[str, Any]]:
    """The documents whose `field` is one of `ids`, in one query."""
    wanted = sorted({i for i in ids if i})
    return list(coll.find({field: {"$in": wanted}}, session=session)) if wanted else []


def insert_missing(coll: Collection, docs: Sequence[Mapping[str, Any]], session: ClientSession | None) -> set[str]:
    """Insert the documents whose `_id` is not stored yet; returns the ids this call inserted.

    Inside a transaction a duplicate key would abort it, so what exists is read first (a concurrent
    insert of the same id is then a write conflict, and the consumer runs the batch again).
    """
    unique = list({d["_id"]: d for d in docs}.values())
    if not unique:
        return set()
    stored = {d["_id"] for d in coll.find({"_id": {"$in": [d["_id"] for d in unique]}}, {"_id": 1}, session=session)}
    fresh = [dict(d) for d in unique if d["_id"] not in stored]
    if not fresh:
        return set()
    if session is not None:
        coll.insert_many(fresh, ordered=False, session=session)
        return {d["_id"] for d in fresh}
    try:
        coll.insert_many(fresh, ordered=False)
        return {d["_id"] for d in fresh}
    except BulkWriteError as exc:  # inserted meanwhile by a concurrent writer: theirs stands
        errors = exc.details.get("writeErrors", [])
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        failed = {e["index"] for e in errors}
        return {d["_id"] for i, d in enumerate(fresh) if i not in failed}


def fold(facts: Iterable[Mapping[str, Any]], key: str, rank: Mapping[str, int]) -> dict[str, dict[str, Any]]:
    """Merge each aggregate's status facts: known fields from all of them, the status of the furthest one."""
    merged: dict[str, dict[str, Any]] = {}
    for fact in sorted(facts, key=lambda f: rank.get(f["status"], 0)):
        current = merged.setdefault(fact[key], {})
        current.update({k: v for k, v in fact.items() if k != "_id" and v is not None and v != []})
    return merged
