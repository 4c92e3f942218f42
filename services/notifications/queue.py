"""The dispatch queue: self-contained work items, claims, and the attempt records they leave behind.

Shaped for any MongoDB-compatible store, even one where every lookup but "the first N documents"
scans the collection (FerretDB 1.24 on SQLite): work is won by unique inserts, and nothing is updated.

* `queue` — rounds due now, read first-in first-out (`find().limit()`): `<id>:<round>` entries that
  carry everything a dispatcher needs (recipient contact, quiet hours, facts, channel states).
* `timers` — rounds due later (a retry after backoff, the end of quiet hours); small, moved to
  `queue` when due.
* `claims` — `<id>:<round>`: inserting it wins that round, so replicas never work on one notification
  at once.
* copies — every insert into `queue` stamps a fresh `copy` token, and a claim records the copy it won.
  A round can be queued again after it was worked on (a redelivered event repairing a notice that was
  in fact queued, or two dispatchers moving the same timer); that later copy is recognised by its
  token differing from its claim's, and dropped instead of waiting for a takeover.
* `outbox` — an attempt's record with its `mentoring.notification.*` event in the same insert; the
  relay publishes it and moves it to `attempts`, the permanent attempt log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pymongo.database import Database

from services.notifications.store import insert_new
from shared import outbox

QUEUE, TIMERS, CLAIMS = "notifications_queue", "notifications_timers", "notifications_claims"
OUTBOX, ATTEMPTS = "notifications_outbox", "notifications_attempts"


def entry_for(item: Mapping[str, Any], round_number: int, due: datetime,
              channels: Mapping[str, Any]) -> dict[str, Any]:
    """The work item of one round of a notification."""
    return {**{k: v for k, v in item.items() if k not in ("_id", "round", "due", "channels", "copy", "taken_over")},
            "_id": f"{item['notification_id']}:{round_number}", "round": round_number, "due": due,
            "channels": dict(channels)}


class DispatchQueue:
    def __init__(self, db: Database):
        self.queue, self.timers, self.claims = db[QUEUE], db[TIMERS], db[CLAIMS]
        self.outbox, self.attempts = db[OUTBOX], db[ATTEMPTS]

    def enqueue(self, entries: Sequence[Mapping[str, Any]]) -> None:
        insert_new(self.queue, _copies(entries))

    def release_timers(self, now: datetime) -> int:
        """Move rounds whose time has come from `timers` to `queue`."""
        due = [t for t in self.timers.find({}) if t["due"] <= now]
        insert_new(self.queue, _copies(due))  # a crash between the two steps only repeats the move
        self.timers.delete_many({"_id": {"$in": [t["_id"] for t in due]}})
        return len(due)

    def head(self, limit: int) -> list[dict[str, Any]]:
        """The oldest queued rounds (no filter and no sort, so even a scanning store stops early)."""
        return list(self.queue.find({}).limit(limit))

    def claim(self, entries: Sequence[Mapping[str, Any]], until: datetime) -> set[str]:
        """Win rounds by inserting their claims; returns the entry ids this dispatcher won."""
        return insert_new(self.claims, [{"_id": e["_id"], "recipient_id": e["recipient_id"], "until": until,
                                         "copy": e.get("copy")} for e in entries])

    def claimed(self, entry_id: str) -> bool:
        return self.claims.find_one({"_id": entry_id}, {"_id": 1}) is not None

    def is_stale_copy(self, entry: Mapping[str, Any]) -> bool:
        """Was this round won from an earlier copy, i.e. worked on before this copy was queued?"""
        claim = self.claims.find_one({"_id": entry["_id"]}, {"copy": 1})
        return claim is not None and claim.get("copy") != entry.get("copy")

    def drop(self, entry: Mapping[str, Any]) -> None:
        """Remove this copy of a round (not a newer one)."""
        self.queue.delete_one({"_id": entry["_id"], "copy": entry.get("copy")})

    def take_over(self, entry: Mapping[str, Any], now: datetime, until: datetime) -> bool:
        """Win a round whose claimer stopped before finishing it (its claim expired)."""
        base = entry["_id"]
        for generation in range(1, 20):
            held = self.claims.find_one({"_id": base if generation == 1 else f"{base}:t{generation - 1}"})
            if held is None or held["until"] >= now:
                return False
            claim = {"_id": f"{base}:t{generation}", "recipient_id": entry["recipient_id"], "until": until}
            if insert_new(self.claims, [claim]):
                return True
        return False

    def recorded(self, record_id: str) -> dict[str, Any] | None:
        """An attempt record, published or not (after a takeover: was this attempt made already?)."""
        return self.outbox.find_one({"_id": record_id}) or self.attempts.find_one({"_id": record_id})

    def finish(self, records: Sequence[Mapping[str, Any]], later: Sequence[Mapping[str, Any]],
               done: Sequence[str]) -> None:
        """Records first, then the next rounds, then drop the finished ones: a crash anywhere is repaired."""
        insert_new(self.outbox, [r for r in records if r.get(outbox.PENDING)])
        insert_new(self.attempts, [outbox.strip(dict(r)) for r in records if not r.get(outbox.PENDING)])
        insert_new(self.timers, later)
        if done:
            self.queue.delete_many({"_id": {"$in": list(done)}})

    # -- the outbox relay ----------------------------------------------------------------------
    def pending_records(self, limit: int) -> list[dict[str, Any]]:
        return list(self.outbox.find({}).limit(limit))

    def archive(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Published: keep the record in the attempt log, take it out of the outbox."""
        insert_new(self.attempts, [outbox.strip(dict(r)) for r in records])
        if records:
            self.outbox.delete_many({"_id": {"$in": [r["_id"] for r in records]}})

    # -- reading state for the API -------------------------------------------------------------
    def open_rounds(self, notification_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The pending round of each notification still being delivered."""
        ids = list(notification_ids)
        found: dict[str, dict[str, Any]] = {}
        for coll in (self.timers, self.queue):
            for entry in coll.find({"notification_id": {"$in": ids}}, {"notification_id": 1, "round": 1,
                                                                       "channels": 1}):
                if entry["round"] >= found.get(entry["notification_id"], {}).get("round", -1):
                    found[entry["notification_id"]] = entry
        return found

    def records_of(self, notification_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Outbox first: the relay inserts into `attempts` before deleting from `outbox`, so reading in
        this order never misses a record being archived meanwhile."""
        ids = list(notification_ids)
        pending = list(self.outbox.find({"notification_id": {"$in": ids}}))
        return [*pending, *self.attempts.find({"notification_id": {"$in": ids}})]

    def erase(self, employee_id: str) -> None:
        for coll in (self.queue, self.timers, self.claims, self.outbox, self.attempts):
            coll.delete_many({"recipient_id": employee_id})


def _copies(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The entries as new copies for `queue`, each with its own token."""
    return [{**e, "copy": uuid.uuid4().hex} for e in entries]
