"""The notifications collection: one document per notification, its channels' states and its `due` time.

Claims and outcomes follow `use_cases.dispatch`: a batch is claimed in one transaction (what is
still due gets this claim's token and lease), and a group's outcomes are, in one transaction, one
bulk update of those still under the claim's token plus one outbox document with their events. The
inbox and the delivery log page the same documents newest first.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pymongo import UpdateOne
from pymongo.client_session import ClientSession
from pymongo.database import Database

from services.notifications.adapters.bulk import insert_missing
from services.notifications.use_cases.ports import Claim, Outcome
from shared import outbox
from shared.events import Event
from shared.pagination import decode_cursor, encode_cursor
from shared.timeutil import utcnow

log = logging.getLogger(__name__)

NOTIFICATIONS, OUTBOX = "notifications_notifications", "notifications_outbox"
CHANNELS = ("inbox", "email", "webhook")
T = TypeVar("T")


class MongoNotifications:
    def __init__(self, db: Database, session: ClientSession | None = None):
        self._db, self._coll, self._session = db, db[NOTIFICATIONS], session

    # -- creating ------------------------------------------------------------------------------
    def missing(self, ids: Iterable[str]) -> set[str]:
        wanted = set(ids)
        found = self._coll.find({"_id": {"$in": sorted(wanted)}}, {"_id": 1}, session=self._session)
        return wanted - {d["_id"] for d in found}

    def add(self, docs: Sequence[dict[str, Any]]) -> set[str]:
        """Insert new notifications; returns the ids inserted (one that exists already stays as it is)."""
        if self._session is not None and docs:  # in a transaction the caller has just read what is `missing`
            self._coll.insert_many([dict(d) for d in docs], ordered=False, session=self._session)
            return {d["_id"] for d in docs}
        return insert_missing(self._coll, docs, self._session)

    # -- dispatching ---------------------------------------------------------------------------
    # Each query has one predicate (`_id`, or `due`), which every store answers from its index;
    # the rest of each condition is checked inside the transaction, whose snapshot and write
    # conflicts make read-check-write as atomic as a conditional update (a concurrent claimer's
    # transaction conflicts, is retried, and then sees the notification taken).
    def claim_due(self, now: datetime, claim: Claim, limit: int) -> list[dict[str, Any]]:
        head = [d["_id"] for d in self._coll.find({"due": {"$lte": now}}, {"_id": 1}).sort("due", 1).limit(2 * limit)]
        random.shuffle(head)  # replicas reading the same head then mostly claim different notifications
        return self._atomically(lambda s: self._claim(head[:limit], now, claim, s)) if head else []

    def _claim(self, ids: list[str], now: datetime, claim: Claim, session: ClientSession) -> list[dict[str, Any]]:
        due = [d for d in self._coll.find({"_id": {"$in": ids}}, session=session) if d.get("due") and d["due"] <= now]
        if due:
            self._coll.update_many({"_id": {"$in": [d["_id"] for d in due]}},
                                   {"$set": {"claim": claim.token, "due": claim.until}}, session=session)
        return [{**d, "claim": claim.token, "due": claim.until} for d in due]

    def record(self, claim: Claim, outcomes: Sequence[Outcome], events: Sequence[Event]) -> set[str]:
        """Write the outcomes still held under `claim`, with their events, atomically; returns their ids."""
        return self._atomically(lambda s: self._record(claim, outcomes, events, s)) if outcomes else set()

    def _record(self, claim: Claim, outcomes: Sequence[Outcome], events: Sequence[Event],
                session: ClientSession) -> set[str]:
        held = self._held(claim, [o.notification_id for o in outcomes], session)
        if len(held) < len(outcomes):
            log.warning("%d notifications were taken over before their outcome was recorded",
                        len(outcomes) - len(held))
        writes = [UpdateOne({"_id": o.notification_id}, _change(o)) for o in outcomes if o.notification_id in held]
        if writes:
            self._coll.bulk_write(writes, ordered=False, session=session)
        mine = [e for e in events if e.data["notification_id"] in held]
        if mine:
            self._db[OUTBOX].insert_one(outbox.stamp_new({"_id": uuid.uuid4().hex, "at": utcnow()}, mine),
                                        session=session)
        return held

    def release(self, claim: Claim, ids: Iterable[str], now: datetime) -> None:
        """Give notifications back untouched, due now, for any dispatcher to take."""
        def give_back(session: ClientSession) -> None:
            held = self._held(claim, ids, session)
            if held:
                self._coll.update_many({"_id": {"$in": sorted(held)}}, {"$set": {"due": now}, "$unset": {"claim": ""}},
                                       session=session)

        self._atomically(give_back)

    def _held(self, claim: Claim, ids: Iterable[str], session: ClientSession) -> set[str]:
        found = self._coll.find({"_id": {"$in": sorted(set(ids))}}, {"claim": 1}, session=session)
        return {d["_id"] for d in found if d.get("claim") == claim.token}

    def _atomically(self, work: Callable[[ClientSession], T]) -> T:
        with self._db.client.start_session() as session:
            return session.with_transaction(work)

    # -- erasure -------------------------------------------------------------------------------
    def erase_recipient(self, employee_id: str) -> None:
        self._coll.delete_many({"recipient_id": employee_id}, session=self._session)

    def forget_in_digests(self, employee_id: str) -> None:
        """An erased report's row (counts about them) leaves their managers' digests."""
        self._coll.update_many({"names": employee_id}, {"$pull": {"facts.reports": {"report_id": employee_id}}},
                               session=self._session)

    # -- the inbox and the delivery log -------------------------------------------------------
    def get(self, notification_id: str) -> dict[str, Any] | None:
        return self._coll.find_one({"_id": notification_id}, session=self._session)

    def mark_read(self, notification_id: str, at: datetime) -> None:
        self._coll.update_one({"_id": notification_id, "read_at": None}, {"$set": {"read_at": at}},
                              session=self._session)

    def page(self, filters: Mapping[str, Any], *, limit: int,
             cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        """Newest first (by `sort_key`: created_at|id), continuing after `cursor`."""
        query = _query(filters)
        if cursor:  # a range on the index's last key, not an `$and`: every store then reads it from the index
            query["sort_key"] = {"$lt": decode_cursor(cursor)}
        docs = list(self._coll.find(query, session=self._session).sort("sort_key", -1).limit(limit + 1))
        more, docs = len(docs) > limit, docs[:limit]
        return docs, encode_cursor(docs[-1]["sort_key"]) if more and docs else None


def _change(outcome: Outcome) -> dict[str, Any]:
    """Release the claim, keep the channels, and set the next `due` (or remove it: nothing left to do)."""
    if outcome.due is None:
        return {"$set": {"channels": outcome.channels}, "$unset": {"claim": "", "due": ""}}
    return {"$set": {"channels": outcome.channels, "due": outcome.due}, "$unset": {"claim": ""}}


def _query(filters: Mapping[str, Any]) -> dict[str, Any]:
    query: dict[str, Any] = {k: filters[k] for k in ("recipient_id", "kind", "program_id") if filters.get(k)}
    if filters.get("unread"):
        query["read_at"] = None
    channel, status = filters.get("channel"), filters.get("status")
    if channel:
        query[f"channels.{channel}.status"] = status or {"$exists": True}
    elif status:
        query["$or"] = [{f"channels.{name}.status": status} for name in CHANNELS]
    return query
